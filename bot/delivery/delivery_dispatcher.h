#pragma once
// The dispatcher drains the outbox: it claims the queued rows whose time has come, hands
// them to a pool of sender threads (each account under its own rate limit, a slow call
// holding up only its own thread), and records what each call did as results come in. A claim is committed, with an
// fsync, before the call, so a crash between the call and its result never sends a message twice: after a restart such
// a message is in doubt, settled by the platform's echo or, failing that, failed with the reason; tag changes, which
// are idempotent, are simply sent again. See bot/delivery/delivery_plan.h for what each platform answer leads to.
#include "bot/delivery/attempt_marks.h"
#include "bot/background_loop.h"
#include "bot/playbook/held_message_check.h"
#include "bot/playbook/message_composer.h"
#include "bot/channels/channel_directory.h"
#include "bot/delivery/delivery_plan.h"
#include "common/instance_share.h"
#include "common/rate_limiter.h"
#include "common/shop_time.h"
#include "store/delivery_store.h"
#include "store/instances.h"
#include "store/settings_store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace pheu::store::sql {
class Connection;
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
    int concurrency = 8;             // sender threads; twice as many rows are claimed ahead of them
    int batch_size = 64;             // rows claimed at a time, at most
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
                       DeliveryOptions options, channels::ChannelDirectory& directory, channels::ChannelHealth& health);
    ~DeliveryDispatcher();
    DeliveryDispatcher(const DeliveryDispatcher&) = delete;
    DeliveryDispatcher& operator=(const DeliveryDispatcher&) = delete;

    void start();
    // Claims nothing more, lets the calls in flight finish and records them, then stops.
    void stop();
    // New work may be queued.
    void notify();
    // How many instances share the database (common/instance_share.h), for the other
    // limits this instance keeps.
    const common::InstanceShare& instance_share() const { return m_share; }

    // One pass: settles what a previous run left claimed (the first time), fails in-doubt
    // messages past their grace, then claims, sends and records until nothing is due and
    // nothing is in flight. Returns how many rows it claimed. Sender threads are started
    // on first use, so tests and benchmarks may call this without start().
    std::size_t run_once();

private:
    struct Job;
    struct Outcome;

    void recover_claims(std::int64_t now);
    // After a round whose commit failed: claims it may have committed all the same (the
    // connection was lost before the answer) that no job of this instance holds.
    void recover_own_claims(std::int64_t now);
    // Claims no job will answer, settled: a message whose call may have been made is in
    // doubt (`why` says how it came to be), any other claim is given up to be claimed again.
    void settle_claims(const std::vector<store::ClaimedRow>& claims, const std::string& why, std::int64_t now);
    // Records `outcomes` and claims up to `limit` due rows in one transaction: every commit
    // holds the write lock the webhooks and the worker wait for, so one per round, not two.
    std::vector<Job> record_and_claim(const std::vector<Outcome>& outcomes, std::int64_t now, int limit);
    std::vector<Job> claim_due(std::int64_t now, int limit);
    // A message marked render_at_send, rendered again with what is known now (the name).
    void render_again(store::DeliveryRow& row, Channel channel, std::int64_t now);
    Outcome deliver(const Job& job);
    void record(const std::vector<Outcome>& outcomes, std::int64_t now);
    void count_recorded(const std::vector<Outcome>& outcomes);
    void wait_for_slot(const std::string& account_key, Channel channel);
    // Records, durably, that `row`'s request is about to go out (see store/delivery_store.h):
    // false when the row is no longer this instance's, and must not go out from here.
    bool mark_attempted(const store::DeliveryRow& row);
    // On PostgreSQL, every few seconds: this instance's heartbeat, the claims of instances
    // gone silent taken back, and the accounts' rates shared among the live instances. On
    // SQLite, once, at start-up: the claims a dead process left (store/instances.h).
    void keep_alive();
    // This instance's share of an account's rate: the configured rate over the instances
    // sending (several on one PostgreSQL send for the same accounts), so together they keep
    // to it.
    double rate_share(Channel channel) const;
    void share_rates(int instances);
    void start_senders();
    void send_loop();
    // Waits up to `timeout` for results (returning early on notify()); takes them.
    std::vector<Outcome> take_results(std::chrono::milliseconds timeout);

    std::unique_ptr<store::sql::Connection> m_db;
    store::DeliveryStore m_store; // on m_db, its statements prepared once
    store::WriteGate& m_gate;
    Metrics& m_metrics;
    Clock m_clock;
    DeliveryOptions m_options;
    channels::ChannelDirectory& m_directory;
    channels::ChannelHealth& m_health;
    common::ShopTime m_shop_time;
    HeldMessageCheck m_held_check; // on m_db, in the claim transaction
    templates::TemplateCache m_template_cache;
    MessageComposer m_composer;      // renders a follow welcome again once the follower's name is known
    store::SettingsStore m_settings; // the shop's message prices, for what each sent message cost
    store::InstanceRegistry m_instances;
    const std::string m_instance = store::new_instance_id(); // what its claims are made in the name of
    const std::int64_t m_started_at;
    std::chrono::steady_clock::time_point m_last_beat{};
    bool m_recovered = false;
    common::InstanceShare m_share;           // the live instances, counted at each heartbeat
    std::set<std::int64_t> m_jobs_in_flight; // outbox ids claimed and not yet answered (the loop's thread)
    // Results the database could not take (it was away): recorded with the next round,
    // so a restart of the database leaves no message claimed for ever (the loop's thread).
    std::vector<Outcome> m_unrecorded;
    bool m_claims_in_question = false; // a round's commit failed (the loop's thread)
    // The marks the senders make just before each call, on their own connection.
    AttemptMarks m_attempt_marks;
    std::mutex m_limiters_mutex;
    // Per account: its channel (whose configured rate it shares) and its limiter.
    struct AccountLimiter {
        Channel channel = Channel::zalo;
        std::unique_ptr<common::RateLimiter> limiter;
    };
    std::map<std::string, AccountLimiter> m_limiters;

    // The sender pool: jobs in, outcomes out.
    std::mutex m_pool_mutex;
    std::condition_variable m_jobs_ready;
    std::condition_variable m_results_ready;
    std::deque<Job> m_jobs;
    std::vector<Outcome> m_results;
    bool m_woken = false;
    bool m_stopping = false;
    std::vector<std::thread> m_senders;
    BackgroundLoop m_loop;
};

} // namespace pheu::bot
