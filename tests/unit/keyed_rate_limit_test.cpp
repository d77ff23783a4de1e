#include "common/keyed_rate_limit.h"

#include <catch2/catch.hpp>

using namespace pheu::common;

TEST_CASE("each Mini App shopper gets a burst, then requests at the steady rate, with a Retry-After",
          "[unit][miniapp]") {
    KeyedRateLimit limit(60, 3); // one a second, three at once
    const std::int64_t start = 1'000'000;
    for (int i = 0; i < 3; ++i) {
        CHECK(limit.take("a", start).allowed);
    }
    const RateDecision refused = limit.take("a", start);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after_seconds == 1);
    CHECK(limit.take("b", start).allowed); // another shopper has a bucket of their own
    CHECK(limit.take("a", start + 1000).allowed);
    CHECK_FALSE(limit.take("a", start + 1000).allowed);
    // A long pause refills up to the burst, no more.
    for (int i = 0; i < 3; ++i) {
        CHECK(limit.take("a", start + 600'000).allowed);
    }
    CHECK_FALSE(limit.take("a", start + 600'000).allowed);
}

TEST_CASE("the rate limit forgets the least recently seen shoppers first", "[unit][miniapp]") {
    KeyedRateLimit limit(1, 1, 2);
    CHECK(limit.take("a", 0).allowed);
    CHECK(limit.take("b", 0).allowed);
    CHECK_FALSE(limit.take("a", 1).allowed); // a is now the most recent
    CHECK(limit.take("c", 2).allowed);       // b is forgotten, not a
    CHECK_FALSE(limit.take("a", 3).allowed);
    CHECK(limit.take("b", 4).allowed); // b starts again with a full bucket
}
