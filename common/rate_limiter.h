#pragma once
// Spaces calls to one account evenly: at most `per_second` on average, with `burst` calls
// allowed back to back after a quiet spell. Pure arithmetic on the times passed in
// (virtual scheduling), thread-safe; the caller sleeps for the wait it is given.
#include <cstdint>
#include <mutex>

namespace pheu::common {

class RateLimiter {
public:
    RateLimiter(double per_second, int burst);

    // Reserves the next slot; returns how many microseconds to wait before using it.
    std::int64_t reserve(std::int64_t now_us);
    // From the next slot on, at most `per_second` (a share of an account's rate changes as
    // pheu instances come and go).
    void set_rate(double per_second);

private:
    std::mutex m_mutex;
    std::int64_t m_interval_us;
    std::int64_t m_burst;
    std::int64_t m_next_us = 0;
};

} // namespace pheu::common
