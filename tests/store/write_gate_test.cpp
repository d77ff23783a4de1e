// The write gate: the inbox writer goes first, and under contention the bulk writers (the
// worker, the scheduler) share the gate instead of taking it back between every two inbox
// commits. Only lower bounds of
// time are asserted, or upper bounds far from the backoff, so a slow machine cannot fail it.
#include "store/write_gate.h"

#include <catch2/catch.hpp>

#include <thread>

using pheu::store::WriteGate;
using namespace std::chrono_literals;

namespace {

using Clock = WriteGate::Clock;

// Holds a pass (bulk or ordinary) for `hold` while a priority writer waits for it, and
// returns when the pass was given back.
Clock::time_point contended_pass(WriteGate& gate, bool bulk, std::chrono::milliseconds hold,
                                 int backoff = WriteGate::k_bulk_backoff) {
    auto pass = std::make_unique<WriteGate::Pass>(bulk ? gate.enter_bulk(backoff) : gate.enter());
    std::thread priority([&] { const auto inbox = gate.enter_with_priority(); });
    while (!gate.priority_waiting()) {
        std::this_thread::yield();
    }
    std::this_thread::sleep_for(hold);
    const Clock::time_point left = Clock::now();
    pass.reset();
    priority.join();
    return left;
}

} // namespace

TEST_CASE("a bulk writer the inbox waited for makes the next bulk one wait k_bulk_backoff times its hold",
          "[store][gate]") {
    WriteGate gate;
    const Clock::time_point left = contended_pass(gate, true, 50ms);
    const auto next = gate.enter_bulk();
    CHECK(Clock::now() - left >= WriteGate::k_bulk_backoff * 50ms);
}

TEST_CASE("the inbox writer never waits for the ordinary writers' backoff", "[store][gate]") {
    WriteGate gate;
    contended_pass(gate, true, 200ms); // the bulk ones now wait k_bulk_backoff x 200 ms
    const Clock::time_point asked = Clock::now();
    const auto inbox = gate.enter_with_priority();
    CHECK(Clock::now() - asked < 400ms);
}

TEST_CASE("a bulk writer nobody waited for lets the next one in at once", "[store][gate]") {
    WriteGate gate;
    {
        const auto pass = gate.enter_bulk();
        std::this_thread::sleep_for(200ms); // contended, this would cost the next one k_bulk_backoff x 200 ms
    }
    const Clock::time_point asked = Clock::now();
    const auto next = gate.enter_bulk();
    CHECK(Clock::now() - asked < 400ms);
}

TEST_CASE("ordinary writers, the dispatcher's among them, neither wait for the backoff nor cause it", "[store][gate]") {
    WriteGate gate;
    contended_pass(gate, true, 200ms); // the bulk ones now wait k_bulk_backoff x 200 ms
    Clock::time_point asked = Clock::now();
    { const auto dispatcher = gate.enter(); }
    CHECK(Clock::now() - asked < 400ms);

    WriteGate other;
    contended_pass(other, false, 200ms); // contended, but ordinary: no backoff
    asked = Clock::now();
    const auto worker = other.enter_bulk();
    CHECK(Clock::now() - asked < 400ms);
}

TEST_CASE("a bulk writer that asks for a larger share waits only its own backoff", "[store][gate]") {
    // The worker behind its shoppers asks for backoff 1 (bot/worker/gate_share.h): it waits
    // as long as it held the gate, not eight times as long.
    WriteGate gate;
    const Clock::time_point left = contended_pass(gate, true, 200ms, 1);
    const auto next = gate.enter_bulk();
    const auto waited = Clock::now() - left;
    CHECK(waited >= 200ms);
    CHECK(waited < WriteGate::k_bulk_backoff * 200ms - 400ms);
}
