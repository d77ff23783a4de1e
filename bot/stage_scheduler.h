#pragma once
// Changes of stage by time alone: every customer carries the next moment their stage could
// change with no new event (customers.next_stage_check_at, indexed). The scheduler wakes,
// takes the due customers through that index, most overdue first, and recomputes their
// stage; it never scans every customer.
#include "bot/background_loop.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace SQLite {
class Database;
}
namespace pheu::store {
class WriteGate;
class CustomerStore;
} // namespace pheu::store

namespace pheu::bot {

class StageKeeper;

class StageScheduler {
public:
    using Clock = std::function<std::int64_t()>;

    StageScheduler(const std::string& database_path, store::WriteGate& gate, Clock clock, std::int64_t interval_ms);
    ~StageScheduler();
    StageScheduler(const StageScheduler&) = delete;
    StageScheduler& operator=(const StageScheduler&) = delete;

    void start();
    void stop();

    // Recomputes every customer due at the clock's now, in batches; returns how many.
    std::size_t run_due();

private:
    std::unique_ptr<SQLite::Database> m_db;
    std::unique_ptr<store::CustomerStore> m_customers;
    std::unique_ptr<StageKeeper> m_stages;
    store::WriteGate& m_gate;
    Clock m_clock;
    BackgroundLoop m_loop;
};

} // namespace pheu::bot
