#pragma once
// The dispatcher drains the outbox: it claims the queued rows whose time has come, sends
// them through their channel from a few sender threads (each account under its own rate
// limit), and records what each call did. A claim is committed, with an fsync, before the
// call, so a crash between the call and its result never sends a message twice: after a
// restart such a message is in doubt, settled by the platform's echo or, failing that,
// failed with the reason; tag changes, which are idempotent, are simply sent again. See
// bot/delivery_plan.h for what each platform answer leads to.
#include "bot/background_loop.h"
#include "bot/channels/channel_directory.h"
#include "bot/delivery_plan.h"
#include "bot/rate_limiter.h"
#include "bot/shop_time.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace SQLite {
class Database;
}
namespace pheu::store {
class WriteGate;
struct DeliveryRow;
} // namespace pheu::store

namespace pheu::bot {

class Metrics;

struct DeliveryOptions {
    bool sandbox = true; // sandboxed, not sent, is what a delivered row becomes
    std::string timezone = "Asia/Ho_Chi_Minh";
    int concurrency = 8;  // sender threads
    int batch_size = 64;  // rows claimed at a time
    std::int64_t interval_ms = 1000; // how often the outbox is looked at when nobody wakes the dispatcher
    // How long an in-doubt message waits for the platform's echo before it is failed.
    std::int64_t in_doubt_grace_ms = 15LL * 60 * 1000;
    double zalo_per_second = 20;      // per OA
    double messenger_per_second = 40; // per page
    int burst = 5;
    RetryPolicy retry;
};

class DeliveryDispatcher {
public:
    using Clock = std::function<std::int64_t()>;

    DeliveryDispatcher(const std::string& database_path, store::WriteGate& gate, Metrics& metrics, Clock clock,
                       DeliveryOptions options, channels::ChannelDirectory& directory,
                       channels::ChannelHealth& health);
    ~DeliveryDispatcher();
    DeliveryDispatcher(const DeliveryDispatcher&) = delete;
    DeliveryDispatcher& operator=(const DeliveryDispatcher&) = delete;

    void start();
    // Lets the batch in hand finish (its calls answered and recorded), then stops.
    void stop();
    // New work may be queued.
    void notify();

    // One pass: settles what a previous run left claimed (the first time), fails in-doubt
    // messages past their grace, then claims, sends and records one batch. Returns how many
    // rows it claimed.
    std::size_t run_once();

private:
    struct Job;
    struct Outcome;

    void recover_claims(std::int64_t now);
    std::vector<Job> claim_due(std::int64_t now);
    Outcome deliver(const Job& job);
    void record(const std::vector<Outcome>& outcomes, std::int64_t now);
    void wait_for_slot(const std::string& account_key, const std::string& channel);

    std::unique_ptr<SQLite::Database> m_db;
    store::WriteGate& m_gate;
    Metrics& m_metrics;
    Clock m_clock;
    DeliveryOptions m_options;
    channels::ChannelDirectory& m_directory;
    channels::ChannelHealth& m_health;
    ShopTime m_shop_time;
    bool m_recovered = false;
    std::mutex m_limiters_mutex;
    std::map<std::string, std::unique_ptr<RateLimiter>> m_limiters;
    BackgroundLoop m_loop;
};

} // namespace pheu::bot
