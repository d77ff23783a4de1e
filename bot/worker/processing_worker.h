#pragma once
// The processing worker: takes inbox events in arrival order, applies each to the customer
// model and marks it processed in the same transaction, so an event's effects happen once
// even across crashes. Unprocessed events are simply still pending after a restart. The same
// transaction settles the event's dedupe key (store/unsettled_keys.h): a row whose key some
// other row settled already is a copy, marked duplicate and never applied.
#include "bot/background_loop.h"
#include "bot/worker/gate_share.h"
#include "bot/worker/pipeline.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace pheu::store::sql {
class Connection;
}

namespace pheu::store {
class InboxStore;
struct PendingEvent;
class UnsettledKeys;
class WriteGate;
} // namespace pheu::store

namespace pheu::bot {

class Metrics;

class ProcessingWorker {
public:
    using Clock = std::function<std::int64_t()>;

    // `unsettled` is the InboxWriter's: the worker takes each key out once its row is settled.
    ProcessingWorker(const std::string& database_path, store::WriteGate& gate, store::UnsettledKeys& unsettled,
                     Metrics& metrics, Clock clock, const PipelineOptions& pipeline);
    ~ProcessingWorker();
    ProcessingWorker(const ProcessingWorker&) = delete;
    ProcessingWorker& operator=(const ProcessingWorker&) = delete;

    void start();
    // Finishes the batch in hand, then stops.
    void stop();
    // Wakes the worker: new events were committed.
    void notify();

    // Processes one batch of pending events; returns how many. The thread calls this in a
    // loop; tests and benchmarks may call it directly on a worker that was not started.
    std::size_t process_batch();

private:
    enum class Isolation {
        whole_batch, // one event failing rolls the batch back (nullopt)
        per_event,   // each event in a savepoint: one failing is marked failed
    };
    // Settles, applies and marks a batch in one transaction; how many events it settled.
    std::optional<std::size_t> run_batch(Isolation isolation);
    // How fast the worker decides while it holds the gate, from a batch just committed.
    void note_pace(std::size_t events, std::chrono::steady_clock::duration held);
    // False when the event failed; nothing is marked then (the batch is rolled back).
    bool apply(const store::PendingEvent& pending, std::int64_t now);
    // In its own savepoint; false when it failed, and it is marked so.
    bool apply_isolated(const store::PendingEvent& pending, std::int64_t now);
    // The event's effects and its processed mark; throws what the pipeline threw.
    void apply_event(const store::PendingEvent& pending, std::int64_t now);

    std::unique_ptr<store::sql::Connection> m_db;
    std::unique_ptr<store::InboxStore> m_inbox;
    std::unique_ptr<Pipeline> m_pipeline;
    store::WriteGate& m_gate;
    store::UnsettledKeys& m_unsettled;
    Metrics& m_metrics;
    Clock m_clock;
    std::function<void()> m_outbox_changed;
    GateShare m_share;                // asked for by the next batch, by the last one's pace
    double m_deciding_per_second = 0; // while holding the gate, smoothed over batches
    BackgroundLoop m_loop;
};

} // namespace pheu::bot
