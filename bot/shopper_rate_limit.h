#pragma once
// A per-shopper limit on the Mini App endpoints, so a game loop or a malicious client
// cannot flood the inbox: each shopper has a bucket of `burst` requests refilled at
// `per_minute`. Pure arithmetic on the times passed in, thread-safe, and bounded in memory
// (the least recently seen shoppers are forgotten first).
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pheu::bot {

struct RateDecision {
    bool allowed = true;
    std::int64_t retry_after_seconds = 0; // when not allowed
};

class ShopperRateLimit {
public:
    ShopperRateLimit(double per_minute, double burst, std::size_t max_shoppers = 100000);

    RateDecision take(const std::string& shopper, std::int64_t now_ms);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updated_ms = 0;
        std::list<std::string>::iterator age;
    };

    double m_per_ms;
    double m_burst;
    std::size_t m_max_shoppers;
    std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
    std::list<std::string> m_least_recent_first;
};

} // namespace pheu::bot
