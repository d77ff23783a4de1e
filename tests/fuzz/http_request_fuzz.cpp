// libFuzzer: arbitrary bytes as what a connection has received. The head parser must
// answer incomplete, complete or one of its refusals, never crash; a complete head must fit
// in the bytes given, and what it says about the body must be readable too, its session
// cookie included. The same bytes as base64 (a webhook secret) decode or are refused.
#include "common/crypto.h"
#include "handlers/http/cookies.h"
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
        const auto session = pheu::handlers::cookie_named(parsed.head.header("Cookie"), "pheu_session");
        if (session && session->size() > size) {
            std::abort();
        }
    }
    const auto decoded = pheu::common::base64_decode(received);
    if (decoded && decoded->size() > size) {
        std::abort();
    }
    return 0;
}
