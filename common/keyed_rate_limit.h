#pragma once
// A rate limit per key (a Mini App shopper, a peer failing to authenticate): each key has a
// bucket of `burst` tokens refilled at `per_minute`. Pure arithmetic on the times passed
// in, thread-safe, and bounded in memory (the least recently seen keys are forgotten first).
// With an InstanceShare, the rate and the burst are this instance's share of them (the
// burst never below one request), so several instances on one database keep to the total.
#include "common/instance_share.h"

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pheu::common {

struct RateDecision {
    bool allowed = true;
    std::int64_t retry_after_seconds = 0; // when not allowed
};

class KeyedRateLimit {
public:
    KeyedRateLimit(double per_minute, double burst, const InstanceShare* share = nullptr,
                   std::size_t max_keys = 100000);

    // Spends a token of `key`'s when it has one.
    RateDecision take(const std::string& key, std::int64_t now_ms);
    // Whether `key` has a token now, spending none.
    RateDecision peek(const std::string& key, std::int64_t now_ms);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updated_ms = 0;
        std::list<std::string>::iterator age;
    };

    Bucket& refilled(const std::string& key, std::int64_t now_ms); // m_mutex held
    RateDecision decision(const Bucket& bucket) const;
    double per_ms() const;
    double burst() const;

    double m_per_ms; // the configured totals
    double m_burst;
    const InstanceShare* m_share;
    std::size_t m_max_keys;
    std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
    std::list<std::string> m_least_recent_first;
};

} // namespace pheu::common
