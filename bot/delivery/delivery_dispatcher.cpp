#include "bot/delivery/delivery_dispatcher.h"

#include "bot/channels/zalo_oa_channel.h"
#include "bot/playbook/broadcast_route.h"
#include "bot/playbook/messaging_settings.h"

#include "bot/metrics.h"
#include "common/thread_name.h"
#include "bot/trigger.h"
#include "store/database.h"
#include "store/delivery_store.h"
#include "store/write_gate.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <random>
#include <thread>
#include <utility>

namespace pheu::bot {

using nlohmann::json;

namespace {

// Zalo's night rule ends at 06:00.
constexpr int k_zalo_morning_minute = 6 * 60;

const char* action_id(DeliveryAction action) {
    switch (action) {
    case DeliveryAction::sent:
        return "sent";
    case DeliveryAction::retry:
        return "retry";
    case DeliveryAction::fail:
        return "failed";
    case DeliveryAction::skip:
        return "skipped";
    case DeliveryAction::fall_back:
        return "fall_back";
    case DeliveryAction::defer:
        return "deferred";
    case DeliveryAction::hold_in_doubt:
        return "in_doubt";
    case DeliveryAction::wait_for_account:
        return "waiting_for_account";
    }
    return "unknown";
}

double jitter() {
    static thread_local std::mt19937_64 generator{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::int64_t steady_now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

struct DeliveryDispatcher::Job {
    store::DeliveryRow row;
    channels::ChannelDirectory::Found route;
    Channel channel = Channel::zalo; // the row's
};

struct DeliveryDispatcher::Outcome {
    store::DeliveryRow row;
    channels::SendResult result;
    DeliveryStep step;
    // Another instance took the row back before it went out: nothing was sent, and the row
    // is that instance's to record.
    bool claim_lost = false;
};

DeliveryDispatcher::DeliveryDispatcher(const std::string& database_path, store::WriteGate& gate, Metrics& metrics,
                                       Clock clock, DeliveryOptions options, channels::ChannelDirectory& directory,
                                       channels::ChannelHealth& health)
    // Normal sync: what must be on disk before a message's call is its attempt mark, which
    // m_attempt_marks commits with an fsync of the log, and with it every claim before it. A
    // result or claim an OS crash loses leaves the row claimed: an attempted message is then
    // in doubt and never sent again, anything else is sent or redone. Full sync here cost an
    // fsync under the write gate for every pass, a third of the gate at 2,000 chats a second.
    : m_db(store::sql::open_connection(database_path, store::Sync::normal)), m_store(*m_db), m_gate(gate),
      m_metrics(metrics), m_clock(std::move(clock)), m_options(std::move(options)), m_directory(directory),
      m_health(health), m_shop_time(m_options.timezone), m_held_check(*m_db),
      m_composer(*m_db, m_template_cache, m_shop_time), m_settings(*m_db), m_instances(*m_db), m_started_at(m_clock()),
      m_attempt_marks(database_path, gate, m_clock, m_instance),
      m_loop("dispatcher", std::chrono::milliseconds(m_options.interval_ms), [this] {
          run_once(); // returns with nothing due and nothing in flight
          return false;
      }) {}

DeliveryDispatcher::~DeliveryDispatcher() {
    stop();
}

void DeliveryDispatcher::start() {
    m_loop.start();
}

void DeliveryDispatcher::stop() {
    {
        std::lock_guard lock(m_pool_mutex);
        m_stopping = true;
    }
    m_loop.stop(); // the running pass records what is in flight and returns
    m_jobs_ready.notify_all();
    for (auto& sender : m_senders) {
        sender.join();
    }
    m_senders.clear();
}

void DeliveryDispatcher::notify() {
    {
        std::lock_guard lock(m_pool_mutex);
        m_woken = true;
    }
    m_results_ready.notify_all();
    m_loop.wake();
}

void DeliveryDispatcher::start_senders() {
    for (int i = 0; i < std::max(1, m_options.concurrency); ++i) {
        m_senders.emplace_back([this] { send_loop(); });
    }
}

void DeliveryDispatcher::send_loop() {
    // Apart from the dispatcher's own thread in `top -H` and perf: these wait on the network.
    common::name_this_thread("sender");
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_pool_mutex);
            m_jobs_ready.wait(lock, [&] { return !m_jobs.empty() || m_stopping; });
            if (m_jobs.empty()) {
                return; // stopping, and every claimed job was sent
            }
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        Outcome outcome = deliver(job);
        {
            std::lock_guard lock(m_pool_mutex);
            m_results.push_back(std::move(outcome));
        }
        m_results_ready.notify_all();
    }
}

std::vector<DeliveryDispatcher::Outcome> DeliveryDispatcher::take_results(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_pool_mutex);
    // Not woken by stop(): while stopping, the pass only waits for the calls in flight.
    m_results_ready.wait_for(lock, timeout, [&] { return !m_results.empty() || m_woken; });
    m_woken = false;
    std::vector<Outcome> taken;
    taken.swap(m_results);
    return taken;
}

double DeliveryDispatcher::rate_share(Channel channel) const {
    const double rate = channel == Channel::messenger ? m_options.messenger_per_second : m_options.zalo_per_second;
    return m_share.of(rate);
}

void DeliveryDispatcher::share_rates(int instances) {
    if (!m_share.set(instances)) {
        return;
    }
    spdlog::info("{} pheu instance(s) share the database; each takes its share of the accounts' send rates and of "
                 "the per-shopper and sign-in limits",
                 m_share.instances());
    std::lock_guard lock(m_limiters_mutex);
    for (auto& [account_key, account] : m_limiters) {
        account.limiter->set_rate(rate_share(account.channel));
    }
}

void DeliveryDispatcher::keep_alive() {
    // On SQLite one process serves the file: the claims found are a dead process's, once,
    // at start-up, and no other instance reads a heartbeat.
    if (m_db->backend() == store::sql::Backend::sqlite) {
        if (!m_recovered) {
            recover_claims(m_clock());
            m_recovered = true;
        }
        return;
    }
    // On PostgreSQL an instance may go silent at any time, and the live ones share each
    // account's rate.
    const auto now = std::chrono::steady_clock::now();
    if (m_last_beat != std::chrono::steady_clock::time_point{} &&
        now - m_last_beat < std::chrono::milliseconds(store::k_heartbeat_interval_ms)) {
        return;
    }
    m_last_beat = now;
    {
        store::sql::Transaction transaction(*m_db);
        m_instances.beat(m_instance, m_started_at);
        transaction.commit();
    }
    recover_claims(m_clock());
    share_rates(m_instances.live_count());
}

void DeliveryDispatcher::recover_claims(std::int64_t now) {
    const auto gate = m_gate.enter();
    store::sql::Transaction transaction(*m_db);
    settle_claims(m_store.claims_of_gone_instances(m_instance), "pheu stopped while sending this message", now);
    transaction.commit();
}

void DeliveryDispatcher::recover_own_claims(std::int64_t now) {
    const auto gate = m_gate.enter();
    store::sql::Transaction transaction(*m_db);
    std::vector<store::ClaimedRow> orphans;
    for (const auto& claimed : m_store.claims_of(m_instance)) {
        if (!m_jobs_in_flight.contains(claimed.id)) {
            orphans.push_back(claimed);
        }
    }
    settle_claims(orphans, "the database went away while this message was being sent", now);
    transaction.commit();
}

void DeliveryDispatcher::settle_claims(const std::vector<store::ClaimedRow>& claims, const std::string& why,
                                       std::int64_t now) {
    int in_doubt = 0;
    int returned = 0;
    for (const auto& claimed : claims) {
        // Under the sandbox transport nothing left the machine, so nothing can be doubled.
        if (claimed.kind == store::OutboxKind::message && !m_options.sandbox && !claimed.attempted) {
            m_store.return_unattempted(claimed.id, now); // it was waiting for its turn: it never left
            ++returned;
        } else if (claimed.kind == store::OutboxKind::message && !m_options.sandbox) {
            m_store.record_in_doubt(claimed.id,
                                    "outcome_unknown: " + why +
                                        "; it is not sent again, and the platform's echo will show whether it arrived",
                                    now);
            ++in_doubt;
        } else {
            m_store.release(claimed.id, now);
        }
    }
    if (in_doubt > 0) {
        spdlog::warn("delivery: {} message(s) held until their echo arrives: {}", in_doubt, why);
    }
    if (returned > 0) {
        spdlog::info("delivery: {} message(s) claimed but not yet sent are queued again", returned);
    }
}

bool DeliveryDispatcher::mark_attempted(const store::DeliveryRow& row) {
    // Only a live message can be doubled: the sandbox sends nothing, and the other kinds
    // (tags, profile reads) are released and redone after a crash anyway.
    if (m_options.sandbox || row.kind != store::OutboxKind::message) {
        return true;
    }
    return m_attempt_marks.mark(row.id);
}

std::vector<DeliveryDispatcher::Job> DeliveryDispatcher::record_and_claim(const std::vector<Outcome>& outcomes,
                                                                          std::int64_t now, int limit) {
    std::vector<Job> jobs;
    {
        const auto gate = m_gate.enter();
        store::sql::Transaction transaction(*m_db);
        record(outcomes, now);
        if (limit > 0) {
            jobs = claim_due(now, limit);
        }
        transaction.commit();
    }
    // Counted and logged once the gate is free: a log line per message, flushed as it is
    // written, held every other writer up for as long.
    count_recorded(outcomes);
    return jobs;
}

std::vector<DeliveryDispatcher::Job> DeliveryDispatcher::claim_due(std::int64_t now, int limit) {
    const int failed = m_store.fail_doubts_older_than(
        now - m_options.in_doubt_grace_ms,
        "outcome_unknown: no echo showed that this message arrived; it was not sent again, so the customer is never "
        "messaged twice",
        now);
    if (failed > 0) {
        spdlog::warn("delivery: {} in-doubt message(s) had no echo within the grace period and are failed", failed);
    }
    std::vector<Job> jobs;
    for (auto& row : m_store.due(now, limit, m_health.stopped_accounts())) {
        // Due again while this instance still holds a job for it: another instance took the
        // row back while this one looked silent. That job's mark will be refused; a second
        // job here would be marked and sent too.
        if (m_jobs_in_flight.contains(row.id)) {
            continue;
        }
        // Opting out while a promotion waited (quiet hours, a retry) stops it.
        if (row.kind == store::OutboxKind::message && row.promotional && row.opted_out) {
            m_store.record_final(row.id, store::OutboxStatus::skipped, "opted_out", "", now);
            m_metrics.delivery_result(row.channel, "skipped");
            continue;
        }
        // A message that waited was decided for the customer as they were then: the rule that
        // chose it must still hold (a lead's welcome code must not reach a new buyer).
        if (row.kind == store::OutboxKind::message && row.was_held) {
            if (auto stale = m_held_check.stale_reason(row, now)) {
                m_store.record_final(row.id, store::OutboxStatus::skipped, *stale, "", now);
                m_metrics.delivery_result(row.channel, "skipped");
                continue;
            }
        }
        const std::optional<Channel> channel = parse_channel(row.channel);
        if (channel && row.kind == store::OutboxKind::message &&
            row.payload_json.find("\"render_at_send\"") != std::string::npos) {
            render_again(row, *channel, now);
        }
        auto route = m_directory.find(row.channel, row.account_id);
        if (route.channel == nullptr || !channel) {
            m_store.record_final(row.id, store::OutboxStatus::failed,
                                 "no_account: no " + row.channel + " account \"" + row.account_id +
                                     "\" is configured to send this",
                                 "", now);
            m_metrics.delivery_result(row.channel, "failed");
            continue;
        }
        if (m_health.stopped(route.key)) {
            continue; // waits until the account's credentials are fixed
        }
        m_store.claim(row.id, now, m_instance);
        jobs.push_back(Job{std::move(row), std::move(route), *channel});
    }
    return jobs;
}

void DeliveryDispatcher::render_again(store::DeliveryRow& row, Channel channel, std::int64_t now) {
    json payload = json::parse(row.payload_json, nullptr, false);
    if (!payload.is_object() || !payload.value("render_at_send", false)) {
        return;
    }
    std::optional<store::IssuedVoucher> voucher;
    if (const std::string code = payload.value("voucher_code", std::string()); !code.empty()) {
        store::VoucherStore vouchers(*m_db, nullptr);
        if (const auto status = vouchers.code_status(code)) {
            voucher = store::IssuedVoucher{status->code, status->campaign_id, status->description,
                                           status->valid_until.value_or(now)};
        }
    }
    m_composer.reload_shop();
    const auto context = m_composer.context(row.customer_id, voucher, std::nullopt, now);
    if (!context) {
        return;
    }
    auto composed = m_composer.compose(row.template_id, channel, *context);
    if (auto* message = std::get_if<ComposedMessage>(&composed); message && !message->text.empty()) {
        row.text = message->text;
        m_store.update_text(row.id, row.text, now);
    } // else the text rendered at decision time goes, with "bạn" for the name
}

void DeliveryDispatcher::wait_for_slot(const std::string& account_key, Channel channel) {
    common::RateLimiter* limiter = nullptr;
    {
        std::lock_guard lock(m_limiters_mutex);
        auto& account = m_limiters[account_key];
        if (!account.limiter) {
            account = {.channel = channel,
                       .limiter = std::make_unique<common::RateLimiter>(rate_share(channel), m_options.burst)};
        }
        limiter = account.limiter.get();
    }
    if (const std::int64_t wait_us = limiter->reserve(steady_now_us()); wait_us > 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(wait_us));
    }
}

DeliveryDispatcher::Outcome DeliveryDispatcher::deliver(const Job& job) {
    const store::DeliveryRow& row = job.row;
    channels::OutboundItem item;
    item.id = row.id;
    item.kind = row.kind;
    item.account_id = row.account_id;
    item.recipient = row.recipient;
    item.text = row.text;
    item.payload = json::parse(row.payload_json, nullptr, false);
    if (!item.payload.is_object()) {
        item.payload = json::object();
    }
    item.promotional = row.promotional;
    item.purpose = purpose_of_stored_trigger(row.trigger);
    item.last_interaction_at = row.last_interaction_at;
    item.phone = row.phone;
    // The route a broadcast chose: its template past Zalo's window, or ZNS by phone.
    const std::string chosen_route = item.payload.value("zalo_route", std::string());
    if (chosen_route == broadcast_route_id(BroadcastRoute::zns)) {
        item.route = channels::ZaloRoute::zns;
    } else if (chosen_route == broadcast_route_id(BroadcastRoute::zalo_template)) {
        item.route = channels::ZaloRoute::template_uid;
    }

    const json mapping = item.payload.value("zalo_template", json::object());
    DeliveryFacts facts;
    facts.channel = job.channel;
    facts.kind = row.kind;
    facts.attempts = row.attempts + 1;
    facts.has_zalo_template = mapping.is_object() && !mapping.value("template_id", std::string()).empty();
    facts.template_by_phone = mapping.is_object() && mapping.value("via", std::string()) == "zns";
    facts.has_phone = !row.phone.empty();
    facts.route = item.route;

    Outcome outcome{row, {}, {}};
    bool marked = false;
    for (;;) {
        wait_for_slot(job.route.key, job.channel);
        const std::int64_t now = m_clock();
        try {
            if (!marked) {
                // From here on, a crash leaves the row in doubt.
                if (!mark_attempted(row)) {
                    spdlog::warn("delivery: message #{} was taken back by another instance before it went out; it "
                                 "is not sent from here",
                                 row.id);
                    outcome.claim_lost = true;
                    return outcome;
                }
                marked = true;
            }
        } catch (const std::exception& error) {
            // Not recorded as attempted, so not attempted: the call is not made, and the row
            // is retried like one whose connection failed.
            spdlog::error("delivery: cannot record that message #{} is being sent: {}", row.id, error.what());
            outcome.result = channels::SendResult{
                .outcome = channels::SendOutcome::not_sent, .platform_code = "storage", .detail = error.what()};
            outcome.step = plan_delivery(facts, outcome.result, now, m_options.retry, jitter());
            return outcome;
        }
        try {
            outcome.result = job.route.channel->deliver(item, now);
        } catch (const std::exception& error) {
            // Whether the request went out is not known: treated like no answer.
            outcome.result = channels::SendResult{.outcome = channels::SendOutcome::outcome_unknown,
                                                  .platform_code = "exception",
                                                  .detail = error.what()};
        }
        // What follows is planned from when the answer came, not from when the request
        // left: a retry after a slow 5xx still waits its whole delay.
        const std::int64_t answered = m_clock();
        if (outcome.result.outcome == channels::SendOutcome::account_stopped) {
            m_health.stop(job.route.key,
                          "the platform refused the account's credentials (" + outcome.result.platform_code + " " +
                              outcome.result.detail + "): put a valid token into the configuration and restart",
                          answered);
        }
        facts.account_stopped = m_health.stopped(job.route.key);
        facts.morning_ms = m_shop_time.next_local_time(answered, k_zalo_morning_minute);
        outcome.step = plan_delivery(facts, outcome.result, answered, m_options.retry, jitter());
        if (outcome.step.action != DeliveryAction::fall_back) {
            return outcome;
        }
        spdlog::info("delivery: message #{} is outside Zalo's window ({}); sending the shop's template instead", row.id,
                     outcome.result.platform_code);
        item.route = outcome.step.route;
        facts.route = outcome.step.route;
    }
}

void DeliveryDispatcher::record(const std::vector<Outcome>& outcomes, std::int64_t now) {
    std::optional<MessagePrices> prices; // read once per round that sent a message
    for (const auto& outcome : outcomes) {
        const auto& row = outcome.row;
        const auto& step = outcome.step;
        switch (step.action) {
        case DeliveryAction::sent: {
            std::int64_t cost_vnd = 0;
            if (const auto channel = parse_channel(row.channel); channel && row.kind == store::OutboxKind::message) {
                if (!prices) {
                    prices = load_message_prices(m_settings);
                }
                cost_vnd = sent_message_cost(*channel, outcome.result.via, row.last_interaction_at, now, *prices);
            }
            m_store.record_sent(row.id, m_options.sandbox ? store::OutboxStatus::sandboxed : store::OutboxStatus::sent,
                                outcome.result.platform_message_id, outcome.result.via, cost_vnd, now);
            if (row.kind == store::OutboxKind::profile) {
                const auto profile = channels::zalo_follower_profile(outcome.result.data);
                m_store.record_follower_profile(row.customer_id, profile.display_name, profile.avatar_url);
                // The follow welcome waited for this: it goes now (the loop claims again right
                // after recording), greeting them by name.
                m_store.release_waiting_for_profile(row.customer_id, now);
            }
            break;
        }
        case DeliveryAction::retry:
            m_store.record_retry(row.id, step.at_ms, "retrying: " + step.reason, step.platform_code, now);
            break;
        case DeliveryAction::fail:
            m_store.record_final(row.id, store::OutboxStatus::failed, step.reason, step.platform_code, now);
            break;
        case DeliveryAction::skip:
            m_store.record_final(row.id, store::OutboxStatus::skipped, step.reason, step.platform_code, now);
            break;
        case DeliveryAction::defer:
            m_store.record_deferred(row.id, step.at_ms, "zalo_night: " + step.reason, now);
            break;
        case DeliveryAction::hold_in_doubt:
            m_store.record_in_doubt(
                row.id, step.reason + "; not sent again, the platform's echo will show whether it arrived", now);
            break;
        case DeliveryAction::wait_for_account:
        case DeliveryAction::fall_back: // never recorded: deliver() follows it
            m_store.record_retry(row.id, now, "waiting: " + step.reason, step.platform_code, now);
            break;
        }
    }
}

void DeliveryDispatcher::count_recorded(const std::vector<Outcome>& outcomes) {
    for (const auto& outcome : outcomes) {
        const char* action = action_id(outcome.step.action);
        m_metrics.delivery_result(outcome.row.channel, action);
        if (outcome.step.action == DeliveryAction::sent) {
            spdlog::info("delivery: {} #{} via {} {}", store::outbox_kind_id(outcome.row.kind), outcome.row.id,
                         outcome.row.channel, outcome.result.via);
        } else {
            spdlog::warn("delivery: {} #{} via {}: {} ({})", store::outbox_kind_id(outcome.row.kind), outcome.row.id,
                         outcome.row.channel, action, outcome.step.reason);
        }
    }
}

std::size_t DeliveryDispatcher::run_once() {
    keep_alive();
    if (m_senders.empty()) {
        start_senders();
    }
    m_directory.maintain(m_clock());
    // Claimed ahead of the senders, so one finishing finds its next job waiting.
    const auto capacity = static_cast<std::size_t>(2 * std::max(1, m_options.concurrency));
    std::size_t in_flight = 0;
    std::size_t claimed = 0;
    std::vector<Outcome> results = std::exchange(m_unrecorded, {});
    for (;;) {
        bool stopping = false;
        {
            std::lock_guard lock(m_pool_mutex);
            stopping = m_stopping;
        }
        const int room =
            stopping ? 0
                     : static_cast<int>(std::min(capacity - in_flight, static_cast<std::size_t>(m_options.batch_size)));
        std::vector<Job> jobs;
        if (room > 0 || !results.empty()) {
            try {
                jobs = record_and_claim(results, m_clock(), room);
                results.clear();
                if (m_claims_in_question) {
                    recover_own_claims(m_clock());
                    m_claims_in_question = false;
                }
            } catch (const std::exception& error) {
                // The round may have committed all the same (a connection lost before its
                // answer): its claims are looked at once the database answers again.
                m_claims_in_question = true;
                if (results.empty() && in_flight == 0) {
                    throw;
                }
                // The rows stay claimed, their results kept to be recorded with the next round;
                // the jobs in flight are waited for.
                if (!results.empty()) {
                    spdlog::error("delivery: cannot record {} result(s) yet: {}", results.size(), error.what());
                }
                if (in_flight == 0) {
                    m_unrecorded = std::move(results);
                    return claimed;
                }
            }
        }
        if (!jobs.empty()) {
            {
                std::lock_guard lock(m_pool_mutex);
                for (auto& job : jobs) {
                    m_jobs_in_flight.insert(job.row.id);
                    m_jobs.push_back(std::move(job));
                }
            }
            m_jobs_ready.notify_all();
            in_flight += jobs.size();
            claimed += jobs.size();
        }
        if (in_flight == 0) {
            return claimed;
        }
        // Results are recorded as they come in, in groups, so a crash leaves as few calls
        // unrecorded as possible; a notify() cuts the wait short to claim new work.
        for (auto& outcome : take_results(std::chrono::milliseconds(m_options.interval_ms))) {
            --in_flight;
            m_jobs_in_flight.erase(outcome.row.id);
            if (!outcome.claim_lost) { // a row taken back is the other instance's to record
                results.push_back(std::move(outcome));
            }
        }
        try {
            keep_alive(); // a long run of sends must not look like a silent instance
        } catch (const std::exception& error) {
            // The calls in flight are still to be recorded; the heartbeat is tried again.
            spdlog::error("delivery: cannot write this instance's heartbeat: {}", error.what());
        }
    }
}

} // namespace pheu::bot
