// libFuzzer: arbitrary bytes as a Zalo webhook body, through every step the handler takes
// before the inbox: JSON parse, account key, the raw timestamp scan, and normalisation.
#include "common/json_parse.h"
#include "handlers/ingress/zalo_parser.h"
#include "handlers/ingress/zalo_signature.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    const nlohmann::json body = pheu::common::parse_json(raw);
    if (body.is_discarded() || !body.is_object()) {
        return 0;
    }
    (void)pheu::handlers::zalo_account_key(body);
    (void)pheu::handlers::zalo_signature_timestamp(raw, body);
    auto event_name = body.find("event_name");
    if (event_name != body.end() && event_name->is_string()) {
        (void)pheu::handlers::parse_zalo_event(body, 0);
    }
    return 0;
}
