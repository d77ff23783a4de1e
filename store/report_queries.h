#pragma once
// SQL of the funnel reports, each over a period [from, to) in epoch milliseconds. The stage
// figures read the funnel ledger the triggers of migration 18 keep; a period's bounds are
// slot edges (k_funnel_slot_ms).
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pheu::store {

// Slots of the funnel ledger (migration 18): a quarter of an hour each, so that a day in
// any time zone (offsets are whole quarters of an hour) starts and ends on a slot's edge.
inline constexpr std::int64_t k_funnel_slot_ms = 15 * 60 * 1000;

// Customers who stepped from one stage ("" for none) to another in a slot, or, in the moves
// of a period, the changes recorded from one stage to another.
struct FunnelStepRow {
    std::int64_t slot = 0; // the slot's start (0 for the moves of a period)
    std::string from_stage;
    std::string to_stage;
    std::int64_t count = 0;
};

struct CampaignFigures {
    std::string campaign;
    std::int64_t issued = 0;
    std::int64_t redeemed = 0;
};

struct CartFigures {
    std::int64_t reminded = 0;  // cart reminders sent
    std::int64_t recovered = 0; // of those, followed by a purchase within 7 days
};

class ReportQueries {
public:
    explicit ReportQueries(sql::Connection& db);

    // Customers not merged away, by their stage now.
    std::map<std::string, std::int64_t> customers_by_stage();
    // Customers ever staged, by their latest stage.
    std::map<std::string, std::int64_t> funnel_standing();
    // The ledger's steps in slots at or after `since`, by slot.
    std::vector<FunnelStepRow> funnel_steps_since(std::int64_t since);
    // The stage changes recorded in the period, by their from and to stages.
    std::vector<FunnelStepRow> funnel_moves(std::int64_t from, std::int64_t to);
    std::vector<CampaignFigures> vouchers(std::int64_t from, std::int64_t to);
    // Revenue of orders placed in the period (not cancelled), by the stage in force when
    // each was placed.
    std::map<std::string, std::int64_t> revenue_by_stage(std::int64_t from, std::int64_t to);
    std::map<std::string, std::int64_t> messages_by_status(std::int64_t from, std::int64_t to);
    // Skip and failure reasons by their code (the part before ':').
    std::map<std::string, std::int64_t> messages_by_reason(std::int64_t from, std::int64_t to);
    CartFigures carts(std::int64_t from, std::int64_t to);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
