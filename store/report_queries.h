#pragma once
// SQL of the funnel reports, each over a period [from, to) in epoch milliseconds.
#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct StageHistoryEntry {
    std::int64_t customer_id = 0;
    std::optional<std::string> from_stage;
    std::string to_stage;
    std::int64_t changed_at = 0;
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

    // Every stage change of customers not merged away, up to `until`, in time order.
    std::vector<StageHistoryEntry> stage_history(std::int64_t until);
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
