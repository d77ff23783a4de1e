#include "common/rate_limiter.h"

#include <algorithm>

namespace pheu::common {

namespace {
std::int64_t interval_for(double per_second) {
    return static_cast<std::int64_t>(1'000'000.0 / std::max(per_second, 0.001));
}
} // namespace

RateLimiter::RateLimiter(double per_second, int burst)
    : m_interval_us(interval_for(per_second)), m_burst(std::max(burst, 1)) {}

void RateLimiter::set_rate(double per_second) {
    std::lock_guard lock(m_mutex);
    m_interval_us = interval_for(per_second);
}

std::int64_t RateLimiter::reserve(std::int64_t now_us) {
    std::lock_guard lock(m_mutex);
    // A quiet spell earns at most `burst` slots that may be used at once.
    const std::int64_t slot = std::max(m_next_us, now_us - (m_burst - 1) * m_interval_us);
    m_next_us = slot + m_interval_us;
    return std::max<std::int64_t>(0, slot - now_us);
}

} // namespace pheu::common
