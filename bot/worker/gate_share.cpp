#include "bot/worker/gate_share.h"

namespace pheu::bot {

GateShare gate_share_for(const WorkerPace& pace) {
    using std::chrono::milliseconds;
    if (pace.arriving_per_second > pace.deciding_per_second) {
        return GateShare{}; // a flood: see the header
    }
    const std::int64_t lag_ms = pace.lag_ms;
    // Doubling the share as the lag doubles from a tenth of a second; a reply within about
    // that is what a chatting shopper does not notice.
    if (lag_ms < 100) {
        return GateShare{.slice = milliseconds(1), .backoff = 8};
    }
    if (lag_ms < 200) {
        return GateShare{.slice = milliseconds(2), .backoff = 4};
    }
    if (lag_ms < 400) {
        return GateShare{.slice = milliseconds(4), .backoff = 2};
    }
    return GateShare{.slice = milliseconds(8), .backoff = 1};
}

} // namespace pheu::bot
