#include "bot/worker/gate_share.h"

namespace pheu::bot {

GateShare gate_share_for(const WorkerPace& pace) {
    using std::chrono::milliseconds;
    if (pace.arriving_per_second > pace.deciding_per_second) {
        return GateShare{}; // a flood: see the header
    }
    const std::int64_t lag_ms = pace.lag_ms;
    // Doubling the share as the lag doubles from 25 ms, half the gate from a tenth of a
    // second. The steps were a tenth of a second apart (half the gate from 400 ms): at 1,000
    // chats a second the worker kept up only on the second step, so replies settled 200 ms
    // behind; with these, 54 ms (bench/e2e.sh).
    if (lag_ms < 25) {
        return GateShare{.slice = milliseconds(1), .backoff = 8};
    }
    if (lag_ms < 50) {
        return GateShare{.slice = milliseconds(2), .backoff = 4};
    }
    if (lag_ms < 100) {
        return GateShare{.slice = milliseconds(4), .backoff = 2};
    }
    return GateShare{.slice = milliseconds(8), .backoff = 1};
}

} // namespace pheu::bot
