// The worker's share of the write gate grows as its shoppers wait longer for replies, unless
// events arrive faster than a larger share could decide them.
#include "bot/worker/gate_share.h"

#include <catch2/catch.hpp>

using pheu::bot::gate_share_for;
using pheu::bot::GateShare;
using pheu::bot::WorkerPace;

namespace {
// A burst the worker can catch up with: 2,000 events a second against 8,000 decided.
WorkerPace behind_by(std::int64_t lag_ms) {
    return WorkerPace{.lag_ms = lag_ms, .arriving_per_second = 2000, .deciding_per_second = 8000};
}
} // namespace

TEST_CASE("a worker that keeps up leaves the gate to the webhooks", "[unit][gate]") {
    const GateShare share = gate_share_for(behind_by(0));
    CHECK(share.slice == std::chrono::milliseconds(1));
    CHECK(share.backoff == 8);
    CHECK(gate_share_for(behind_by(24)).backoff == 8);
}

TEST_CASE("the further behind the worker is, the larger its share, up to no backoff", "[unit][gate]") {
    // Its share of the gate under contention: slice / (slice + backoff x slice).
    auto share_of = [](const GateShare& share) { return 1.0 / (1.0 + share.backoff); };
    double last = 0;
    for (std::int64_t lag : {0, 25, 50, 75, 100, 150, 200, 400, 800, 1000, 60000}) {
        const GateShare share = gate_share_for(behind_by(lag));
        INFO("lag " << lag);
        CHECK(share_of(share) >= last);
        // However far behind, a batch ends within 8 ms of a webhook's commit waiting for it.
        CHECK(share.slice <= std::chrono::milliseconds(8));
        last = share_of(share);
    }
    CHECK(gate_share_for(behind_by(100)).backoff == 1);
    CHECK(gate_share_for(behind_by(149)).backoff == 1);
    CHECK(gate_share_for(behind_by(150)).backoff == 0);
    CHECK(gate_share_for(behind_by(800)).slice == std::chrono::milliseconds(8));
}

TEST_CASE("a dip in the worker's measured pace is not taken for a flood", "[unit][gate]") {
    // 2,000 chats a second against a pace that dipped to 1,800 in one slow batch: the worker
    // still catches up with a larger share, so it asks for one.
    CHECK(gate_share_for(WorkerPace{.lag_ms = 500, .arriving_per_second = 2000, .deciding_per_second = 1800}).backoff ==
          0);
    CHECK(gate_share_for(WorkerPace{.lag_ms = 500, .arriving_per_second = 4000, .deciding_per_second = 2000}).backoff ==
          8);
}

TEST_CASE("in a flood the worker cannot catch up, so the webhooks keep the gate", "[unit][gate]") {
    // 30,000 webhooks a second against 8,000 decided: even the whole gate would not do.
    const GateShare share =
        gate_share_for(WorkerPace{.lag_ms = 5000, .arriving_per_second = 30000, .deciding_per_second = 8000});
    CHECK(share.backoff == 8);
    CHECK(share.slice == std::chrono::milliseconds(1));
    // Before the worker has measured itself, it asks for no more than its usual share.
    CHECK(gate_share_for(WorkerPace{.lag_ms = 5000, .arriving_per_second = 100, .deciding_per_second = 0}).backoff ==
          8);
}
