#include "common/keyed_rate_limit.h"

#include <algorithm>
#include <cmath>

namespace pheu::common {

KeyedRateLimit::KeyedRateLimit(double per_minute, double burst, const InstanceShare* share, std::size_t max_keys)
    : m_per_ms(per_minute / 60000.0), m_burst(std::max(1.0, burst)), m_share(share),
      m_max_keys(std::max<std::size_t>(1, max_keys)) {}

double KeyedRateLimit::per_ms() const {
    return m_share != nullptr ? m_share->of(m_per_ms) : m_per_ms;
}

double KeyedRateLimit::burst() const {
    return m_share != nullptr ? std::max(1.0, m_share->of(m_burst)) : m_burst;
}

KeyedRateLimit::Bucket& KeyedRateLimit::refilled(const std::string& key, std::int64_t now_ms) {
    auto found = m_buckets.find(key);
    if (found == m_buckets.end()) {
        if (m_buckets.size() >= m_max_keys) {
            m_buckets.erase(m_least_recent_first.front());
            m_least_recent_first.pop_front();
        }
        m_least_recent_first.push_back(key);
        found = m_buckets.emplace(key, Bucket{burst(), now_ms, std::prev(m_least_recent_first.end())}).first;
    } else {
        m_least_recent_first.splice(m_least_recent_first.end(), m_least_recent_first, found->second.age);
    }
    Bucket& bucket = found->second;
    const auto elapsed = static_cast<double>(std::max<std::int64_t>(0, now_ms - bucket.updated_ms));
    bucket.tokens = std::min(burst(), bucket.tokens + elapsed * per_ms());
    bucket.updated_ms = now_ms;
    return bucket;
}

RateDecision KeyedRateLimit::decision(const Bucket& bucket) const {
    if (bucket.tokens >= 1.0) {
        return {};
    }
    const double wait_ms = (1.0 - bucket.tokens) / per_ms();
    return RateDecision{false, std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait_ms / 1000.0)))};
}

RateDecision KeyedRateLimit::take(const std::string& key, std::int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    Bucket& bucket = refilled(key, now_ms);
    const RateDecision made = decision(bucket);
    if (made.allowed) {
        bucket.tokens -= 1.0;
    }
    return made;
}

RateDecision KeyedRateLimit::peek(const std::string& key, std::int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    return decision(refilled(key, now_ms));
}

} // namespace pheu::common
