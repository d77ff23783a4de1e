#pragma once
// Everything that happens by time alone, each found through an index of due moments and
// never by scanning every customer: stage changes (customers.next_stage_check_at), journey
// steps (journeys.next_due_at). Messages that wait out quiet hours (outbox.not_before) are
// the delivery dispatcher's, which the scheduler wakes after each pass.
#include "bot/background_loop.h"
#include "bot/worker/pipeline.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace pheu::store::sql {
class Connection;
}
namespace pheu::store {
class WriteGate;
class CustomerStore;
} // namespace pheu::store

namespace pheu::bot {

class StageScheduler {
public:
    using Clock = std::function<std::int64_t()>;

    StageScheduler(const std::string& database_path, store::WriteGate& gate, Clock clock, std::int64_t interval_ms,
                   const PipelineOptions& pipeline);
    ~StageScheduler();
    StageScheduler(const StageScheduler&) = delete;
    StageScheduler& operator=(const StageScheduler&) = delete;

    void start();
    void stop();

    // Recomputes every customer due at the clock's now, in batches; returns how many.
    std::size_t run_due();
    // Decides the journey steps due now; returns how many journeys were looked at.
    std::size_t run_due_messages();

private:
    // Runs `step` in write transactions of up to one batch each until it does less than a
    // batch; returns the sum of what it did.
    std::size_t in_batches(const std::function<std::size_t(std::int64_t now)>& step);

    std::unique_ptr<store::sql::Connection> m_db;
    std::unique_ptr<store::CustomerStore> m_customers;
    std::unique_ptr<Pipeline> m_pipeline;
    store::WriteGate& m_gate;
    Clock m_clock;
    std::function<void()> m_outbox_changed;
    BackgroundLoop m_loop;
};

} // namespace pheu::bot
