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
      m_stages(std::make_unique<StageKeeper>(*m_db)),
      m_gate(gate),
      m_clock(std::move(clock)),
      m_interval_ms(interval_ms) {
    subscribe_zalo_tag_mirror(*m_stages, *m_db);
}

StageScheduler::~StageScheduler() {
    stop();
}

void StageScheduler::start() {
    m_thread = std::thread([this] { run(); });
}

void StageScheduler::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) {
        m_thread.join();
    }
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

void StageScheduler::run() {
    for (;;) {
        try {
            if (std::size_t changed = run_due(); changed > 0) {
                spdlog::info("scheduler: re-evaluated {} customer(s) due by time", changed);
            }
        } catch (const std::exception& error) {
            spdlog::error("scheduler: pass failed and will be retried: {}", error.what());
        }
        std::unique_lock lock(m_mutex);
        if (m_wake.wait_for(lock, std::chrono::milliseconds(m_interval_ms), [&] { return m_stopping; })) {
            return;
        }
    }
}

} // namespace pheu::bot
