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
    KeyedRateLimit limit(1, 1, nullptr, 2);
    CHECK(limit.take("a", 0).allowed);
    CHECK(limit.take("b", 0).allowed);
    CHECK_FALSE(limit.take("a", 1).allowed); // a is now the most recent
    CHECK(limit.take("c", 2).allowed);       // b is forgotten, not a
    CHECK_FALSE(limit.take("a", 3).allowed);
    CHECK(limit.take("b", 4).allowed); // b starts again with a full bucket
}

TEST_CASE("instances on one database each grant their share of a shopper's limit, together the total",
          "[unit][miniapp]") {
    InstanceShare share;
    // Two instances, one shopper's requests spread over both by the balancer.
    KeyedRateLimit first(60, 4, &share);
    KeyedRateLimit second(60, 4, &share);
    CHECK(share.set(2));
    CHECK_FALSE(share.set(2)); // unchanged
    const std::int64_t start = 1'000'000;
    int allowed = 0;
    for (int i = 0; i < 10; ++i) {
        allowed += first.take("a", start).allowed ? 1 : 0;
        allowed += second.take("a", start).allowed ? 1 : 0;
    }
    CHECK(allowed == 4); // the burst of 4, two on each
    // One a second in total: each instance refills at one every two seconds.
    const RateDecision refused = first.take("a", start + 1000);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after_seconds == 1);
    CHECK(first.take("a", start + 2000).allowed);
    CHECK_FALSE(first.take("a", start + 2000).allowed);

    // However many instances, a key is never refused before its first request.
    share.set(16);
    KeyedRateLimit guard(5, 5, &share);
    CHECK(guard.take("peer", start).allowed);
    CHECK_FALSE(guard.take("peer", start).allowed);
    // Back to one instance: the whole limit again.
    share.set(1);
    KeyedRateLimit alone(60, 4, &share);
    for (int i = 0; i < 4; ++i) {
        CHECK(alone.take("b", start).allowed);
    }
}
