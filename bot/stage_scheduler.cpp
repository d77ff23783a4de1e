#include "bot/stage_scheduler.h"

#include "bot/stage_keeper.h"
#include "bot/zalo_tag_mirror.h"
#include "store/customer_store.h"
#include "store/database.h"
#include "store/write_gate.h"

#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

#include <chrono>

namespace pheu::bot {

namespace {
// Customers per transaction: short enough that ingest never waits long on the write gate.
constexpr int k_batch = 500;
} // namespace

StageScheduler::StageScheduler(const std::string& database_path, store::WriteGate& gate, Clock clock,
                               std::int64_t interval_ms)
    : m_db(store::open_database(database_path, store::Sync::normal)),
      m_customers(std::make_unique<store::CustomerStore>(*m_db)),
      m_stages(make_subscribed_stage_keeper(*m_db)),
      m_gate(gate),
      m_clock(std::move(clock)),
      m_loop("scheduler", std::chrono::milliseconds(interval_ms), [this] {
          if (const std::size_t changed = run_due(); changed > 0) {
              spdlog::info("scheduler: re-evaluated {} customer(s) due by time", changed);
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

std::size_t StageScheduler::run_due() {
    std::size_t total = 0;
    for (;;) {
        const std::int64_t now = m_clock();
        const auto gate = m_gate.enter();
        SQLite::Transaction transaction(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        m_stages->reload_settings();
        const auto due = m_customers->due_for_stage_check(now, k_batch);
        for (std::int64_t customer_id : due) {
            m_stages->refresh(customer_id, now);
        }
        transaction.commit();
        total += due.size();
        if (due.size() < static_cast<std::size_t>(k_batch)) {
            return total;
        }
    }
}

} // namespace pheu::bot
