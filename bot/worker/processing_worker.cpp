#include "bot/worker/processing_worker.h"

#include "bot/inbound_event.h"
#include "common/json_parse.h"
#include "bot/metrics.h"
#include "store/database.h"
#include "store/inbox_store.h"
#include "store/unsettled_keys.h"
#include "store/write_gate.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pheu::bot {

namespace {
// The most events one transaction takes. A batch also ends early when the inbox writer
// waits for the write gate (webhook answers wait on it), so this bounds only quiet times.
constexpr std::size_t k_batch_size = 64;
// A safety net: the writer's notification is the normal wake-up.
constexpr auto k_idle_poll = std::chrono::milliseconds(1000);
} // namespace

ProcessingWorker::ProcessingWorker(const std::string& database_path, store::WriteGate& gate,
                                   store::UnsettledKeys& unsettled, Metrics& metrics, Clock clock,
                                   const PipelineOptions& pipeline)
    : m_db(store::sql::open_connection(database_path, store::Sync::normal)),
      m_inbox(std::make_unique<store::InboxStore>(*m_db)), m_pipeline(std::make_unique<Pipeline>(*m_db, pipeline)),
      m_gate(gate), m_unsettled(unsettled), m_metrics(metrics), m_clock(std::move(clock)),
      m_outbox_changed(pipeline.outbox_changed), m_loop("worker", k_idle_poll, [this] { return process_batch() > 0; }) {
}

ProcessingWorker::~ProcessingWorker() {
    stop();
}

void ProcessingWorker::start() {
    m_loop.start();
}

void ProcessingWorker::stop() {
    m_loop.stop();
}

void ProcessingWorker::notify() {
    m_loop.wake();
}

std::size_t ProcessingWorker::process_batch() {
    // The share of the gate this batch asks for, its slice and its backoff, follows how far
    // behind the last batch found the worker (gate_share.h). Ending a batch at the inbox
    // writer's first wait left one event per commit under load, a sixth of the worker's pace.
    const auto gate = m_gate.enter_bulk(m_share.backoff);
    // Almost no event fails, so a batch first runs without a savepoint per event (two
    // statements each). When one fails, the batch is rolled back and run again with each
    // event in its own savepoint: that one is marked failed and the rest go on.
    if (const auto settled = run_batch(Isolation::whole_batch)) {
        return *settled;
    }
    return run_batch(Isolation::per_event).value_or(0);
}

std::optional<std::size_t> ProcessingWorker::run_batch(Isolation isolation) {
    store::sql::Transaction transaction(*m_db);
    const auto events = m_inbox->fetch_pending(static_cast<int>(k_batch_size));
    if (events.empty()) {
        m_share = GateShare{};
        return 0;
    }
    m_pipeline->reload();
    // A batch that failed as a whole (a storage fault, an event failing in the first pass)
    // was rolled back: so were its changes.
    m_pipeline->playbooks().forget_stage_changes_after(0);
    const std::int64_t now = m_clock();
    const std::int64_t lag_ms = std::max<std::int64_t>(now - events.front().received_at_ms, 1);
    m_share = gate_share_for(WorkerPace{.lag_ms = lag_ms,
                                        .arriving_per_second = static_cast<double>(m_unsettled.size()) * 1000.0 /
                                                               static_cast<double>(lag_ms),
                                        .deciding_per_second = m_deciding_per_second});
    std::vector<std::string> keys;
    for (const auto& pending : events) {
        keys.push_back(pending.dedupe_key);
    }
    // Keys settled by earlier rows, then by rows of this batch as it goes.
    std::set<std::string> settled = m_inbox->settled_among(keys);
    std::vector<store::InboxStore::Settlement> settlements;
    std::size_t processed_count = 0;
    std::size_t failed_count = 0;
    std::size_t duplicate_count = 0;
    std::vector<std::string> settled_keys;
    const auto entered = std::chrono::steady_clock::now();
    for (const auto& pending : events) {
        if (!settled_keys.empty() && m_gate.priority_waiting() &&
            std::chrono::steady_clock::now() - entered >= m_share.slice) {
            break; // commit what is done; the rest is fetched again by the next pass
        }
        if (!settled.insert(pending.dedupe_key).second) {
            m_inbox->mark_duplicate(pending.seq, now);
            ++duplicate_count;
        } else {
            // The key is settled even when the event fails: it is never applied twice.
            settlements.push_back({pending.dedupe_key, pending.seq});
            if (isolation == Isolation::per_event) {
                apply_isolated(pending, now) ? ++processed_count : ++failed_count;
            } else if (apply(pending, now)) {
                ++processed_count;
            } else {
                return std::nullopt; // rolled back as the transaction goes out of scope
            }
        }
        settled_keys.push_back(pending.dedupe_key);
    }
    m_inbox->settle_all(settlements);
    // The batch's stage changes, one net change per customer, run their rules together.
    m_pipeline->playbooks().flush_stage_changes(now);
    transaction.commit();
    note_pace(settled_keys.size(), std::chrono::steady_clock::now() - entered);
    // Only now: until this commit the key was findable nowhere else.
    m_unsettled.remove(settled_keys);
    if (m_outbox_changed) {
        m_outbox_changed();
    }
    const std::pair<const char*, std::size_t> counts[] = {
        {"processed", processed_count}, {"failed", failed_count}, {"duplicate", duplicate_count}};
    for (const auto& [outcome, count] : counts) {
        for (std::size_t i = 0; i < count; ++i) {
            m_metrics.event_processed(outcome);
        }
    }
    return settled_keys.size();
}

void ProcessingWorker::note_pace(std::size_t events, std::chrono::steady_clock::duration held) {
    const double seconds = std::chrono::duration<double>(held).count();
    if (events == 0 || seconds <= 0) {
        return;
    }
    const double rate = static_cast<double>(events) / seconds;
    // Smoothed, so one slow batch (a cold cache, a long render) does not swing the share.
    m_deciding_per_second = m_deciding_per_second == 0 ? rate : 0.8 * m_deciding_per_second + 0.2 * rate;
}

bool ProcessingWorker::apply(const store::PendingEvent& pending, std::int64_t now) {
    try {
        apply_event(pending, now);
        return true;
    } catch (const store::sql::Error&) {
        throw; // a storage fault, not a bad event: retry the whole batch later
    } catch (const std::exception& error) {
        spdlog::warn("worker: event {} failed ({}); its batch runs again event by event", pending.seq, error.what());
        return false;
    }
}

bool ProcessingWorker::apply_isolated(const store::PendingEvent& pending, std::int64_t now) {
    // One event that breaks an invariant is marked failed with its error and the rest of the
    // batch goes on.
    m_db->execute("SAVEPOINT event");
    const std::size_t changes_before = m_pipeline->playbooks().noted_stage_changes();
    try {
        apply_event(pending, now);
        m_db->execute("RELEASE event");
        return true;
    } catch (const store::sql::Error&) {
        m_db->execute("ROLLBACK TO event");
        m_db->execute("RELEASE event");
        throw; // a storage fault, not a bad event: retry the whole batch later
    } catch (const std::exception& error) {
        m_db->execute("ROLLBACK TO event");
        m_db->execute("RELEASE event");
        m_pipeline->playbooks().forget_stage_changes_after(changes_before);
        m_inbox->mark_failed(pending.seq, error.what(), now);
        spdlog::error("worker: event {} failed: {}", pending.seq, error.what());
        return false;
    }
}

void ProcessingWorker::apply_event(const store::PendingEvent& pending, std::int64_t now) {
    const std::size_t changes_before = m_pipeline->playbooks().noted_stage_changes();
    const nlohmann::json stored = common::parse_json(pending.event);
    if (stored.is_discarded()) {
        throw std::runtime_error("the stored event is not valid JSON");
    }
    const InboundEvent event = inbound_event_from_json(stored);
    m_pipeline->receipts().apply(event);
    const auto customer = m_pipeline->applier().apply(event, now);
    if (customer && is_imported(event)) {
        // History a shop brings with it: facts and stages only, no rule and no message.
        m_pipeline->playbooks().forget_stage_changes_after(changes_before);
        m_pipeline->playbooks().on_imported(event, customer->id, now);
    } else if (customer) {
        m_pipeline->playbooks().on_event(event, *customer, now);
    }
    m_inbox->mark_processed(pending.seq, customer ? std::optional(customer->id) : std::nullopt, now);
}

} // namespace pheu::bot
