#include "bot/worker/gate_share.h"

namespace pheu::bot {

GateShare gate_share_for(const WorkerPace& pace) {
    using std::chrono::milliseconds;
    // A flood: see the header. Only when events clearly outrun the worker: its measured
    // pace swings with the cores it shares (a batch preempted inside the gate), and at 2,000
    // chats a second against some 3,600 decided, a dip below the arrivals cut it to a ninth
    // of the gate, where it could not show its pace again: replies stalled for up to 9 s in
    // one run in three (bench/e2e.sh).
    constexpr double k_flood_margin = 1.5;
    if (pace.arriving_per_second > k_flood_margin * pace.deciding_per_second) {
        return GateShare{};
    }
    const std::int64_t lag_ms = pace.lag_ms;
    // Doubling the share as the lag doubles from 25 ms, half the gate from a tenth of a
    // second, and no backoff from 150 ms. The steps were a tenth of a second apart (half the
    // gate from 400 ms): at 1,000 chats a second the worker kept up only on the second step,
    // so replies settled 200 ms behind; with these, 54 ms (bench/e2e.sh).
    if (lag_ms < 25) {
        return GateShare{.slice = milliseconds(1), .backoff = 8};
    }
    if (lag_ms < 50) {
        return GateShare{.slice = milliseconds(2), .backoff = 4};
    }
    if (lag_ms < 100) {
        return GateShare{.slice = milliseconds(4), .backoff = 2};
    }
    if (lag_ms < 150) {
        return GateShare{.slice = milliseconds(8), .backoff = 1};
    }
    // Since the inbox writer and the senders sync the log outside the gate (store/database.h,
    // sync_log), the gate has room the half share left unused: at 2,000 chats a second the
    // worker fell behind at half the gate (replies p99 3-4 s) with the gate idle a sixth of
    // the time. Without a backoff it still ends each batch 8 ms after the inbox writer starts
    // waiting, and the inbox writer goes first.
    return GateShare{.slice = milliseconds(8), .backoff = 0};
}

} // namespace pheu::bot
