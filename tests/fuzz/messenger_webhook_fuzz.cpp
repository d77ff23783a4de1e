// libFuzzer: arbitrary bytes as a Messenger webhook body, parsed into stored events.
#include "common/json_parse.h"
#include "handlers/ingress/messenger_parser.h"

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
    (void)pheu::handlers::parse_messenger_events(body, 0);
    return 0;
}
