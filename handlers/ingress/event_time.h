#pragma once
// When an arriving event happened. Every decision is dated by its events (stages, windows,
// dormancy), so a time far ahead would keep a customer "active" until then: a clock a
// little fast is forgiven, nothing further.
#include <cstdint>

namespace pheu::handlers {

inline constexpr std::int64_t k_future_tolerance_ms = 10 * 60 * 1000;

// The time a platform's event is recorded at: its own, unless it lies more than the
// tolerance ahead of its arrival or is no time at all (zero or negative); then its arrival.
// (The events API refuses such a time instead: the shop's system can send it again.)
constexpr std::int64_t platform_event_time(std::int64_t claimed_ms, std::int64_t received_ms) {
    return claimed_ms <= 0 || claimed_ms > received_ms + k_future_tolerance_ms ? received_ms : claimed_ms;
}

} // namespace pheu::handlers
