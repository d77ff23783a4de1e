#pragma once
// SQL over customers' journeys: where each timed follow-up stands and when its next step is
// due, indexed so the scheduler reads only what is due.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct JourneyRow {
    std::int64_t customer_id = 0;
    std::string journey;
    std::int64_t anchor_at = 0;
    std::int64_t next_step = 0;
    std::optional<std::int64_t> next_due_at;
    std::string state; // active | ended | finished
};

class JourneyStore {
public:
    explicit JourneyStore(sql::Connection& db);

    // Starts (or restarts) the customer's journey from a new anchor.
    void start(std::int64_t customer_id, const std::string& journey, std::int64_t anchor_at, std::int64_t next_step,
               std::optional<std::int64_t> next_due_at, std::int64_t now_ms);
    // Records progress; a journey with no step left is finished.
    void advance(std::int64_t customer_id, const std::string& journey, std::int64_t next_step,
                 std::optional<std::int64_t> next_due_at, std::int64_t now_ms);
    // Ends an active journey (its goal was reached, or the customer left its stage).
    bool end(std::int64_t customer_id, const std::string& journey, const std::string& reason, std::int64_t now_ms);
    std::optional<JourneyRow> get(std::int64_t customer_id, const std::string& journey);
    std::vector<JourneyRow> active_of(std::int64_t customer_id);
    // Active journeys whose next step is due, most overdue first.
    std::vector<JourneyRow> due(std::int64_t now_ms, int limit);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
