#include "store/report_queries.h"

#include "store/sql_helpers.h"

#include <SQLiteCpp/Statement.h>

namespace pheu::store {

namespace {

constexpr std::int64_t k_recovery_window_ms = 7LL * 24 * 3600 * 1000;

std::map<std::string, std::int64_t> counts_of(SQLite::Database& db, const char* sql, std::int64_t from,
                                              std::int64_t to) {
    SQLite::Statement query(db, sql);
    query.bind(1, static_cast<int64_t>(from));
    query.bind(2, static_cast<int64_t>(to));
    std::map<std::string, std::int64_t> counts;
    while (query.executeStep()) {
        counts[query.getColumn(0).getString()] = query.getColumn(1).getInt64();
    }
    return counts;
}

// The column's text without a copy; valid until the statement steps.
std::string_view text_view(const SQLite::Column& column) {
    const char* text = column.getText(); // converts first, so the byte count below is the text's
    return {text, static_cast<std::size_t>(column.getBytes())};
}

} // namespace

ReportQueries::ReportQueries(SQLite::Database& db) : m_db(db) {}

StageTally ReportQueries::stage_tally(std::int64_t moment) {
    // stage_changed_at is the time of the customer's latest stage change (the stage keeper
    // writes both together); NULL means never staged, so not in the history either.
    SQLite::Statement query(m_db, "SELECT stage, count(*), count(*) FILTER (WHERE stage_changed_at < ?) FROM customers "
                                  "WHERE merged_into IS NULL GROUP BY stage");
    query.bind(1, static_cast<int64_t>(moment));
    StageTally tally;
    while (query.executeStep()) {
        const std::string stage = query.getColumn(0).getString();
        tally.now[stage] = query.getColumn(1).getInt64();
        tally.unchanged[stage] = query.getColumn(2).getInt64();
    }
    return tally;
}

void ReportQueries::for_each_stage_change_since(std::int64_t since,
                                                const std::function<void(const StageChangeView&)>& visit) {
    // stage_history_by_time covers these columns, so this is one ordered index scan with no
    // lookup per row. A merge moves the merged customer's rows to the kept one; the NOT IN
    // is a guard, cheap through customers_merged.
    SQLite::Statement query(m_db, "SELECT customer_id, from_stage, to_stage, changed_at FROM stage_history "
                                  "WHERE changed_at >= ? AND customer_id NOT IN "
                                  "(SELECT id FROM customers WHERE merged_into IS NOT NULL) ORDER BY changed_at, id");
    query.bind(1, static_cast<int64_t>(since));
    StageChangeView row;
    while (query.executeStep()) {
        row.customer_id = query.getColumn(0).getInt64();
        const SQLite::Column from = query.getColumn(1);
        row.from_stage = from.isNull() ? std::nullopt : std::optional<std::string_view>(text_view(from));
        row.to_stage = text_view(query.getColumn(2));
        row.changed_at = query.getColumn(3).getInt64();
        visit(row);
    }
}

std::vector<CampaignFigures> ReportQueries::vouchers(std::int64_t from, std::int64_t to) {
    SQLite::Statement query(m_db,
                            "SELECT k.id, "
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
                     // total(), not sum(): see k_customer_columns in customer_queries.cpp.
                     // The stage in force when the order was placed (its own change included:
                     // changes are dated by the events), so a past period's figures stay put.
                     "SELECT coalesce((SELECT h.to_stage FROM stage_history h WHERE h.customer_id = o.customer_id "
                     "                 AND h.changed_at <= o.placed_at ORDER BY h.id DESC LIMIT 1), 'new_customer'), "
                     "CAST(total(o.total) AS INTEGER) FROM orders o "
                     "WHERE o.placed_at >= ? AND o.placed_at < ? AND o.cancelled_at IS NULL GROUP BY 1",
                     from, to);
}

std::map<std::string, std::int64_t> ReportQueries::messages_by_status(std::int64_t from, std::int64_t to) {
    return counts_of(
        m_db,
        "SELECT status, count(*) FROM outbox WHERE kind = 'message' AND created_at >= ? AND created_at < ? "
        "GROUP BY status",
        from, to);
}

std::map<std::string, std::int64_t> ReportQueries::messages_by_reason(std::int64_t from, std::int64_t to) {
    return counts_of(
        m_db,
        "SELECT CASE WHEN instr(reason, ':') > 0 THEN substr(reason, 1, instr(reason, ':') - 1) ELSE reason END, "
        "count(*) FROM outbox WHERE kind = 'message' AND status IN ('skipped', 'failed') "
        "AND reason IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY 1",
        from, to);
}

CartFigures ReportQueries::carts(std::int64_t from, std::int64_t to) {
    SQLite::Statement query(
        m_db, "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = m.customer_id "
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
