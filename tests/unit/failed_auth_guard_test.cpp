#include "handlers/http/failed_auth_guard.h"

#include <catch2/catch.hpp>

using pheu::handlers::FailedAuthGuard;

TEST_CASE("an address that used its wrong tokens is held back, another is not", "[unit][http]") {
    FailedAuthGuard guard(3, 1);
    CHECK_FALSE(guard.refusal("203.0.113.7"));
    CHECK_FALSE(guard.record_failure("203.0.113.7"));
    CHECK_FALSE(guard.record_failure("203.0.113.7"));
    CHECK(guard.record_failure("203.0.113.7")); // the third uses the last: a lockout begins
    const auto refused = guard.refusal("203.0.113.7");
    REQUIRE(refused);
    CHECK(refused->status == 429);
    REQUIRE(refused->headers.size() == 1);
    CHECK(refused->headers[0].first == "Retry-After");
    CHECK(std::stoi(refused->headers[0].second) > 0);
    CHECK(std::stoi(refused->headers[0].second) <= 60);
    CHECK_FALSE(guard.refusal("198.51.100.4"));
}
