#include "store/report_queries.h"

#include "store/sql_helpers.h"

#include <SQLiteCpp/Statement.h>

namespace pheu::store {

namespace {

constexpr std::int64_t k_recovery_window_ms = 7LL * 24 * 3600 * 1000;

std::map<std::string, std::int64_t> counts_of(SQLite::Database& db, const char* sql, std::int64_t from, std::int64_t to) {
    SQLite::Statement query(db, sql);
    query.bind(1, static_cast<int64_t>(from));
    query.bind(2, static_cast<int64_t>(to));
    std::map<std::string, std::int64_t> counts;
    while (query.executeStep()) {
        counts[query.getColumn(0).getString()] = query.getColumn(1).getInt64();
    }
    return counts;
}

} // namespace

ReportQueries::ReportQueries(SQLite::Database& db) : m_db(db) {}

std::vector<StageHistoryEntry> ReportQueries::stage_history(std::int64_t until) {
    SQLite::Statement query(m_db, "SELECT h.customer_id, h.from_stage, h.to_stage, h.changed_at FROM stage_history h "
                                  "JOIN customers c ON c.id = h.customer_id "
                                  "WHERE c.merged_into IS NULL AND h.changed_at <= ? ORDER BY h.changed_at, h.id");
    query.bind(1, static_cast<int64_t>(until));
    std::vector<StageHistoryEntry> rows;
    while (query.executeStep()) {
        rows.push_back(StageHistoryEntry{query.getColumn(0).getInt64(), optional_text(query.getColumn(1)),
                                         query.getColumn(2).getString(), query.getColumn(3).getInt64()});
    }
    return rows;
}

std::vector<CampaignFigures> ReportQueries::vouchers(std::int64_t from, std::int64_t to) {
    SQLite::Statement query(m_db, "SELECT k.id, "
                                  "(SELECT count(*) FROM voucher_codes v WHERE v.campaign_id = k.id AND v.issued_at >= ?1 "
                                  "AND v.issued_at < ?2), "
                                  "(SELECT count(*) FROM voucher_codes v WHERE v.campaign_id = k.id AND v.redeemed_at >= ?1 "
                                  "AND v.redeemed_at < ?2) "
                                  "FROM voucher_campaigns k ORDER BY k.id");
    query.bind(1, static_cast<int64_t>(from));
    query.bind(2, static_cast<int64_t>(to));
    std::vector<CampaignFigures> rows;
    while (query.executeStep()) {
        rows.push_back(CampaignFigures{query.getColumn(0).getString(), query.getColumn(1).getInt64(),
                                       query.getColumn(2).getInt64()});
    }
    return rows;
}

std::map<std::string, std::int64_t> ReportQueries::revenue_by_stage(std::int64_t from, std::int64_t to) {
    return counts_of(m_db,
                     "SELECT c.stage, sum(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id "
                     "WHERE o.placed_at >= ? AND o.placed_at < ? AND o.cancelled_at IS NULL GROUP BY c.stage",
                     from, to);
}

std::map<std::string, std::int64_t> ReportQueries::messages_by_status(std::int64_t from, std::int64_t to) {
    return counts_of(m_db,
                     "SELECT status, count(*) FROM outbox WHERE kind = 'message' AND created_at >= ? AND created_at < ? "
                     "GROUP BY status",
                     from, to);
}

std::map<std::string, std::int64_t> ReportQueries::messages_by_reason(std::int64_t from, std::int64_t to) {
    return counts_of(m_db,
                     "SELECT CASE WHEN instr(reason, ':') > 0 THEN substr(reason, 1, instr(reason, ':') - 1) ELSE reason END, "
                     "count(*) FROM outbox WHERE kind = 'message' AND status IN ('skipped', 'failed') "
                     "AND reason IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY 1",
                     from, to);
}

CartFigures ReportQueries::carts(std::int64_t from, std::int64_t to) {
    SQLite::Statement query(m_db, "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = m.customer_id "
                                  "AND o.cancelled_at IS NULL AND o.placed_at >= m.created_at AND o.placed_at < m.created_at + ?3)), 0) "
                                  "FROM outbox m WHERE m.kind = 'message' AND m.trigger LIKE 'journey:cart_reminder/%' "
                                  "AND m.status IN ('sent', 'sandboxed') AND m.created_at >= ?1 AND m.created_at < ?2");
    query.bind(1, static_cast<int64_t>(from));
    query.bind(2, static_cast<int64_t>(to));
    query.bind(3, static_cast<int64_t>(k_recovery_window_ms));
    query.executeStep();
    return CartFigures{query.getColumn(0).getInt64(), query.getColumn(1).getInt64()};
}

} // namespace pheu::store
