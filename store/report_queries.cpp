#include "store/report_queries.h"

#include "store/sql_helpers.h"

namespace pheu::store {

namespace {

constexpr std::int64_t k_recovery_window_ms = 7LL * 24 * 3600 * 1000;

std::map<std::string, std::int64_t> counts_of(StatementCache& statements, const char* sql, std::int64_t from,
                                              std::int64_t to) {
    auto query = statements(sql);
    query->bind(1, static_cast<int64_t>(from));
    query->bind(2, static_cast<int64_t>(to));
    std::map<std::string, std::int64_t> counts;
    while (query->step()) {
        counts[query->text(0)] = query->int64(1);
    }
    return counts;
}

std::map<std::string, std::int64_t> counts_of(StatementCache& statements, const char* sql) {
    auto query = statements(sql);
    std::map<std::string, std::int64_t> counts;
    while (query->step()) {
        counts[query->text(0)] = query->int64(1);
    }
    return counts;
}

std::vector<FunnelStepRow> step_rows(sql::Statement& query) {
    std::vector<FunnelStepRow> rows;
    while (query.step()) {
        rows.push_back(FunnelStepRow{
            .slot = query.int64(0), .from_stage = query.text(1), .to_stage = query.text(2), .count = query.int64(3)});
    }
    return rows;
}

} // namespace

ReportQueries::ReportQueries(sql::Connection& db) : m_statements(db) {}

std::map<std::string, std::int64_t> ReportQueries::customers_by_stage() {
    return counts_of(m_statements,
                     "SELECT stage, sum(count) FROM customer_stage_counts GROUP BY stage HAVING sum(count) != 0");
}

std::map<std::string, std::int64_t> ReportQueries::funnel_standing() {
    // '' holds minus the first steps' count: where no customer stands.
    return counts_of(m_statements, "SELECT stage, sum(count) FROM funnel_standing WHERE stage != '' GROUP BY stage "
                                   "HAVING sum(count) != 0");
}

std::vector<FunnelStepRow> ReportQueries::funnel_steps_since(std::int64_t since) {
    auto query = m_statements("SELECT bucket, from_stage, to_stage, sum(count) FROM funnel_steps WHERE bucket >= ? "
                              "GROUP BY bucket, from_stage, to_stage HAVING sum(count) != 0 ORDER BY bucket");
    query->bind(1, static_cast<int64_t>(since));
    return step_rows(*query);
}

std::vector<FunnelStepRow> ReportQueries::funnel_moves(std::int64_t from, std::int64_t to) {
    auto query = m_statements("SELECT 0, from_stage, to_stage, sum(count) FROM funnel_moves "
                              "WHERE bucket >= ? AND bucket < ? GROUP BY from_stage, to_stage "
                              "HAVING sum(count) != 0");
    query->bind(1, static_cast<int64_t>(from));
    query->bind(2, static_cast<int64_t>(to));
    return step_rows(*query);
}

std::vector<CampaignFigures> ReportQueries::vouchers(std::int64_t from, std::int64_t to) {
    auto query =
        m_statements("SELECT k.id, "
                     "(SELECT count(*) FROM voucher_codes v WHERE v.campaign_id = k.id AND v.issued_at >= ?1 "
                     "AND v.issued_at < ?2), "
                     "(SELECT count(*) FROM voucher_codes v WHERE v.campaign_id = k.id AND v.redeemed_at >= ?1 "
                     "AND v.redeemed_at < ?2) "
                     "FROM voucher_campaigns k ORDER BY k.id");
    query->bind(1, static_cast<int64_t>(from));
    query->bind(2, static_cast<int64_t>(to));
    std::vector<CampaignFigures> rows;
    while (query->step()) {
        rows.push_back(CampaignFigures{query->text(0), query->int64(1), query->int64(2)});
    }
    return rows;
}

std::map<std::string, std::int64_t> ReportQueries::revenue_by_stage(std::int64_t from, std::int64_t to) {
    return counts_of(m_statements,
                     // total(), not sum(): see k_customer_columns in customer_queries.cpp.
                     "SELECT stage, CAST(total(amount) AS BIGINT) FROM funnel_revenue "
                     "WHERE bucket >= ? AND bucket < ? GROUP BY stage HAVING total(amount) != 0",
                     from, to);
}

std::map<std::string, std::int64_t> ReportQueries::messages_by_status(std::int64_t from, std::int64_t to) {
    return counts_of(
        m_statements,
        "SELECT status, count(*) FROM outbox WHERE kind = 'message' AND created_at >= ? AND created_at < ? "
        "GROUP BY status",
        from, to);
}

std::map<std::string, std::int64_t> ReportQueries::messages_by_reason(std::int64_t from, std::int64_t to) {
    return counts_of(
        m_statements,
        "SELECT CASE WHEN instr(reason, ':') > 0 THEN substr(reason, 1, instr(reason, ':') - 1) ELSE reason END, "
        "count(*) FROM outbox WHERE kind = 'message' AND status IN ('skipped', 'failed') "
        "AND reason IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY 1",
        from, to);
}

CartFigures ReportQueries::carts(std::int64_t from, std::int64_t to) {
    auto query = m_statements(
        "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = m.customer_id "
        "AND o.cancelled_at IS NULL AND o.placed_at >= m.created_at AND o.placed_at < m.created_at + ?3)), 0) "
        "FROM outbox m WHERE m.kind = 'message' AND m.trigger LIKE 'journey:cart_reminder/%' "
        "AND m.status IN ('sent', 'sandboxed') AND m.created_at >= ?1 AND m.created_at < ?2");
    query->bind(1, static_cast<int64_t>(from));
    query->bind(2, static_cast<int64_t>(to));
    query->bind(3, static_cast<int64_t>(k_recovery_window_ms));
    query->step();
    return CartFigures{query->int64(0), query->int64(1)};
}

} // namespace pheu::store
