// libFuzzer: arbitrary bytes as a request to the events API and the Mini App events endpoint.
#include "common/json_parse.h"
#include "handlers/ingress/events_api_parser.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    const nlohmann::json body = pheu::common::parse_json(raw);
    if (body.is_discarded()) {
        return 0;
    }
    (void)pheu::handlers::parse_events_request(body, 1'800'000'000'000);
    pheu::bot::CustomerRef shopper;
    shopper.zalo_user_id = "fuzz-shopper";
    (void)pheu::handlers::parse_miniapp_events_request(body, shopper, 1'800'000'000'000);
    return 0;
}
