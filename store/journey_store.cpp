#include "store/journey_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

namespace {

constexpr const char* k_columns = "customer_id, journey, anchor_at, next_step, next_due_at, state";

JourneyRow read_row(sql::Statement& row) {
    return JourneyRow{row.int64(0), row.text(1), row.int64(2), row.int64(3), optional_int(row, 4), row.text(5)};
}

std::vector<JourneyRow> read_rows(sql::Statement& query) {
    std::vector<JourneyRow> rows;
    while (query.step()) {
        rows.push_back(read_row(query));
    }
    return rows;
}

} // namespace

JourneyStore::JourneyStore(sql::Connection& db) : m_statements(db) {}

void JourneyStore::start(std::int64_t customer_id, const std::string& journey, std::int64_t anchor_at,
                         std::int64_t next_step, std::optional<std::int64_t> next_due_at, std::int64_t now_ms) {
    auto upsert = m_statements(
        "INSERT INTO journeys (customer_id, journey, anchor_at, next_step, next_due_at, state, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN CAST(?5 AS BIGINT) IS NULL THEN 'finished' ELSE "
        "'active' END, ?6) ON CONFLICT (customer_id, journey) DO UPDATE SET "
        "anchor_at = excluded.anchor_at, next_step = excluded.next_step, "
        "next_due_at = excluded.next_due_at, state = excluded.state, ended_reason = NULL, "
        "updated_at = excluded.updated_at");
    upsert->bind(1, static_cast<int64_t>(customer_id));
    upsert->bind(2, journey);
    upsert->bind(3, static_cast<int64_t>(anchor_at));
    upsert->bind(4, static_cast<int64_t>(next_step));
    bind_optional_int(*upsert, 5, next_due_at);
    upsert->bind(6, static_cast<int64_t>(now_ms));
    upsert->run();
}

void JourneyStore::advance(std::int64_t customer_id, const std::string& journey, std::int64_t next_step,
                           std::optional<std::int64_t> next_due_at, std::int64_t now_ms) {
    auto update =
        m_statements("UPDATE journeys SET next_step = ?1, next_due_at = ?2, "
                     "state = CASE WHEN CAST(?2 AS BIGINT) IS NULL THEN 'finished' ELSE state END, updated_at = ?3 "
                     "WHERE customer_id = ?4 AND journey = ?5");
    update->bind(1, static_cast<int64_t>(next_step));
    bind_optional_int(*update, 2, next_due_at);
    update->bind(3, static_cast<int64_t>(now_ms));
    update->bind(4, static_cast<int64_t>(customer_id));
    update->bind(5, journey);
    update->run();
}

bool JourneyStore::end(std::int64_t customer_id, const std::string& journey, const std::string& reason,
                       std::int64_t now_ms) {
    auto update = m_statements("UPDATE journeys SET state = 'ended', ended_reason = ?, next_due_at = NULL, "
                               "updated_at = ? WHERE customer_id = ? AND journey = ? AND state = 'active'");
    update->bind(1, reason);
    update->bind(2, static_cast<int64_t>(now_ms));
    update->bind(3, static_cast<int64_t>(customer_id));
    update->bind(4, journey);
    return update->run() == 1;
}

std::optional<JourneyRow> JourneyStore::get(std::int64_t customer_id, const std::string& journey) {
    auto query =
        m_statements(std::string("SELECT ") + k_columns + " FROM journeys WHERE customer_id = ? AND journey = ?");
    query->bind(1, static_cast<int64_t>(customer_id));
    query->bind(2, journey);
    if (!query->step()) {
        return std::nullopt;
    }
    return read_row(*query);
}

std::vector<JourneyRow> JourneyStore::active_of(std::int64_t customer_id) {
    auto query = m_statements(std::string("SELECT ") + k_columns +
                              " FROM journeys WHERE customer_id = ? AND state = 'active' ORDER BY journey");
    query->bind(1, static_cast<int64_t>(customer_id));
    return read_rows(*query);
}

std::vector<JourneyRow> JourneyStore::due(std::int64_t now_ms, int limit) {
    auto query = m_statements(std::string("SELECT ") + k_columns +
                              " FROM journeys WHERE state = 'active' AND next_due_at <= ? "
                              "ORDER BY next_due_at LIMIT ?" +
                              skip_claimed(m_statements.backend())); // claimed, as customers due are
    query->bind(1, static_cast<int64_t>(now_ms));
    query->bind(2, limit);
    return read_rows(*query);
}

} // namespace pheu::store
