// libFuzzer: arbitrary bytes as what a connection has received. The head parser must
// answer incomplete, complete or one of its refusals, never crash; a complete head must fit
// in the bytes given, and what it says about the body must be readable too.
#include "handlers/http/http_request_head.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view received(reinterpret_cast<const char*>(data), size);
    const pheu::handlers::HeadParse parsed = pheu::handlers::parse_request_head(received);
    if (parsed.status == pheu::handlers::HeadStatus::complete) {
        if (parsed.head_length > size || parsed.head.path.empty()) {
            std::abort();
        }
        (void)pheu::handlers::body_framing(parsed.head);
        (void)pheu::handlers::wants_keep_alive(parsed.head);
        (void)pheu::handlers::query_parameter(parsed.head.query_string, "limit");
    }
    return 0;
}
