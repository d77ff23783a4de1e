// The write gate: the inbox writer goes first, and under contention ordinary writers share
// the gate instead of taking it back between every two inbox commits. Only lower bounds of
// time are asserted, or upper bounds far from the backoff, so a slow machine cannot fail it.
#include "store/write_gate.h"

#include <catch2/catch.hpp>

#include <thread>

using pheu::store::WriteGate;
using namespace std::chrono_literals;

namespace {

using Clock = WriteGate::Clock;

// Holds an ordinary pass for `hold` while a priority writer waits for it, and returns when
// the ordinary pass was given back.
Clock::time_point contended_ordinary_pass(WriteGate& gate, std::chrono::milliseconds hold) {
    auto pass = std::make_unique<WriteGate::Pass>(gate.enter());
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

TEST_CASE("an ordinary writer the inbox waited for makes the next ordinary one wait three times its hold",
          "[store][gate]") {
    WriteGate gate;
    const Clock::time_point left = contended_ordinary_pass(gate, 50ms);
    const auto next = gate.enter();
    CHECK(Clock::now() - left >= WriteGate::k_ordinary_backoff * 50ms);
}

TEST_CASE("the inbox writer never waits for the ordinary writers' backoff", "[store][gate]") {
    WriteGate gate;
    contended_ordinary_pass(gate, 200ms); // the ordinary ones now wait 600 ms
    const Clock::time_point asked = Clock::now();
    const auto inbox = gate.enter_with_priority();
    CHECK(Clock::now() - asked < 400ms);
}

TEST_CASE("an ordinary writer nobody waited for lets the next one in at once", "[store][gate]") {
    WriteGate gate;
    {
        const auto pass = gate.enter();
        std::this_thread::sleep_for(200ms); // contended, this would cost the next one 600 ms
    }
    const Clock::time_point asked = Clock::now();
    const auto next = gate.enter();
    CHECK(Clock::now() - asked < 400ms);
}
