#include "bot/worker/stage_scheduler.h"

#include "store/customer_store.h"
#include "store/database.h"
#include "store/write_gate.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace pheu::bot {

namespace {
// Customers per transaction: short enough (a few milliseconds of work) that the inbox
// writer, which goes first at the write gate, never waits long for this one to finish.
constexpr int k_batch = 100;
} // namespace

StageScheduler::StageScheduler(const std::string& database_path, store::WriteGate& gate, Clock clock,
                               std::int64_t interval_ms, const PipelineOptions& pipeline)
    : m_db(store::sql::open_connection(database_path, store::Sync::normal)),
      m_customers(std::make_unique<store::CustomerStore>(*m_db)),
      m_pipeline(std::make_unique<Pipeline>(*m_db, pipeline)), m_gate(gate), m_clock(std::move(clock)),
      m_outbox_changed(pipeline.outbox_changed), m_loop("scheduler", std::chrono::milliseconds(interval_ms), [this] {
          if (const std::size_t changed = run_due(); changed > 0) {
              spdlog::info("scheduler: re-evaluated {} customer(s) due by time", changed);
          }
          run_due_messages();
          if (m_outbox_changed) {
              m_outbox_changed(); // deferred messages come due by time too: the dispatcher looks
          }
          return false;
      }) {}

StageScheduler::~StageScheduler() {
    stop();
}

void StageScheduler::start() {
    m_loop.start();
}

void StageScheduler::stop() {
    m_loop.stop();
}

std::size_t StageScheduler::in_batches(const std::function<std::size_t(std::int64_t now)>& step) {
    std::size_t total = 0;
    for (;;) {
        const std::int64_t now = m_clock();
        const auto gate = m_gate.enter_bulk();
        store::sql::Transaction transaction(*m_db);
        m_pipeline->reload();
        const std::size_t done = step(now);
        transaction.commit();
        total += done;
        if (done < static_cast<std::size_t>(k_batch)) {
            return total;
        }
    }
}

std::size_t StageScheduler::run_due() {
    return in_batches([this](std::int64_t now) {
        const auto due = m_customers->due_for_stage_check(now, k_batch);
        for (std::int64_t customer_id : due) {
            m_pipeline->stages().refresh(customer_id, now);
            m_pipeline->playbooks().flush_stage_changes(now);
        }
        return due.size();
    });
}

std::size_t StageScheduler::run_due_messages() {
    return in_batches([this](std::int64_t now) { return m_pipeline->playbooks().run_due_journeys(now, k_batch); });
}

} // namespace pheu::bot
