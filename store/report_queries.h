#pragma once
// SQL of the funnel reports, each over a period [from, to) in epoch milliseconds.
#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pheu::store {

// One stage change, valid only during the visit that is given it.
struct StageChangeView {
    std::int64_t customer_id = 0;
    std::optional<std::string_view> from_stage;
    std::string_view to_stage;
    std::int64_t changed_at = 0;
};

struct StageTally {
    std::map<std::string, std::int64_t> now;       // customers by their stage now
    std::map<std::string, std::int64_t> unchanged; // of those, staged and unchanged since a moment
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
    explicit ReportQueries(SQLite::Database& db);

    // Customers not merged away, by stage: all of them, and those whose stage was set before
    // `moment` and has not changed since. One pass over the customers.
    StageTally stage_tally(std::int64_t moment);
    // Visits every stage change at or after `since` of customers not merged away, in time
    // order (changed_at, id), streaming: a million changes never sit in memory at once.
    void for_each_stage_change_since(std::int64_t since, const std::function<void(const StageChangeView&)>& visit);
    std::vector<CampaignFigures> vouchers(std::int64_t from, std::int64_t to);
    // Revenue of orders placed in the period (not cancelled), by the customer's stage now.
    std::map<std::string, std::int64_t> revenue_by_stage(std::int64_t from, std::int64_t to);
    std::map<std::string, std::int64_t> messages_by_status(std::int64_t from, std::int64_t to);
    // Skip and failure reasons by their code (the part before ':').
    std::map<std::string, std::int64_t> messages_by_reason(std::int64_t from, std::int64_t to);
    CartFigures carts(std::int64_t from, std::int64_t to);

private:
    SQLite::Database& m_db;
};

} // namespace pheu::store
