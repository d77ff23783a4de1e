#pragma once
// How much of the write gate (store/write_gate.h) the worker asks for, by how far behind the
// shoppers it is. Pure.
//
// The gate's backoff protects the webhooks' answers in a flood: after a batch the inbox
// writer waited for, the worker waits eight times as long, and it ends a batch a millisecond
// after the inbox writer starts waiting. That caps the worker at about a ninth of the gate:
// some 900 events a second while webhooks keep arriving, so at 1,000 chats a second replies
// fell seconds behind while the worker sat idle on 6 % of a core. A worker that is behind
// asks for more, up to no backoff at all in slices of 8 ms: the webhooks' answers then wait
// a few milliseconds more, the shoppers' replies seconds less. (More than half, measured at
// 2,000 chats a second when the inbox writer's and the senders' fsyncs held the gate,
// starved the dispatcher: the replies came no sooner. With those fsyncs outside the gate it
// took replies from p99 3-4 s to 1.3-1.4 s.)
//
// Unless the events arrive faster than the worker decides them even holding the gate: then
// no share catches up, and a larger one only slows the webhooks' answers (at 64 webhook
// connections it halved them, 32k to 16k a second). The webhooks come first in a flood.
#include <chrono>
#include <cstdint>

namespace pheu::bot {

struct GateShare {
    std::chrono::milliseconds slice{1}; // how long a batch goes on once the inbox writer waits
    int backoff = 8;                    // the worker then waits this many times its batch's hold
};

struct WorkerPace {
    std::int64_t lag_ms = 0;        // how long the oldest event the worker took had waited
    double arriving_per_second = 0; // events received and not yet decided, over that lag
    double deciding_per_second = 0; // events the worker decides a second while it holds the gate
};

GateShare gate_share_for(const WorkerPace& pace);

} // namespace pheu::bot
