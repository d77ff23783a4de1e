// libFuzzer: arbitrary bytes as a Messenger webhook body, parsed into stored events.
#include "handlers/messenger_parser.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    const nlohmann::json body = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
        return 0;
    }
    (void)pheu::handlers::parse_messenger_events(body, 0);
    return 0;
}
