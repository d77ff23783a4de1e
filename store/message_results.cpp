#include "store/message_results.h"

#include <SQLiteCpp/Statement.h>

#include <map>

namespace pheu::store {

namespace {

// ?1 from, ?2 to, ?3 the window. A message's moment: delivered, else sent, else written.
constexpr const char* k_counts_sql = R"sql(
SELECT m.trigger,
       sum(m.status IN ('sent', 'sandboxed')),
       sum(m.delivered_at IS NOT NULL),
       sum(EXISTS (SELECT 1 FROM links l JOIN link_clicks c ON c.link_id = l.id WHERE l.message_key = m.idempotency_key)),
       sum(m.status IN ('sent', 'sandboxed') AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = m.customer_id
           AND o.placed_at IS NOT NULL AND o.cancelled_at IS NULL
           AND o.placed_at >= coalesce(m.delivered_at, m.sent_at, m.created_at)
           AND o.placed_at <= coalesce(m.delivered_at, m.sent_at, m.created_at) + ?3)),
       sum(m.status = 'skipped' AND m.reason = 'held_out'),
       sum(m.status = 'skipped' AND m.reason = 'held_out' AND EXISTS (SELECT 1 FROM orders o
           WHERE o.customer_id = m.customer_id AND o.placed_at IS NOT NULL AND o.cancelled_at IS NULL
           AND o.placed_at >= m.created_at AND o.placed_at <= m.created_at + ?3))
FROM outbox m
WHERE m.kind = 'message' AND m.created_at >= ?1 AND m.created_at < ?2
GROUP BY m.trigger ORDER BY m.trigger
)sql";

// Each purchase that could fall in a window after the period's messages, with the message it
// is attributed to: the latest delivery or click of the customer's before it, in the window.
constexpr const char* k_attributed_sql = R"sql(
WITH buyers AS (
    SELECT DISTINCT customer_id FROM orders
    WHERE placed_at >= ?1 AND placed_at < ?2 + ?3 AND cancelled_at IS NULL
), touches AS (
    SELECT m.id AS message_id, m.customer_id, coalesce(m.delivered_at, m.sent_at, m.created_at) AS at
    FROM outbox m JOIN buyers b ON b.customer_id = m.customer_id
    WHERE m.kind = 'message' AND m.status IN ('sent', 'sandboxed') AND m.created_at < ?2
    UNION ALL
    SELECT m.id, m.customer_id, c.clicked_at
    FROM link_clicks c JOIN buyers b ON b.customer_id = c.customer_id
    JOIN links l ON l.id = c.link_id JOIN outbox m ON m.idempotency_key = l.message_key
), attributed AS (
    SELECT o.total, (SELECT t.message_id FROM touches t WHERE t.customer_id = o.customer_id
                     AND t.at <= o.placed_at AND t.at >= o.placed_at - ?3
                     ORDER BY t.at DESC, t.message_id DESC LIMIT 1) AS message_id
    FROM orders o
    WHERE o.placed_at >= ?1 AND o.placed_at < ?2 + ?3 AND o.cancelled_at IS NULL
)
SELECT m.trigger, count(*), CAST(total(a.total) AS INTEGER)
FROM attributed a JOIN outbox m ON m.id = a.message_id
WHERE m.created_at >= ?1 AND m.created_at < ?2
GROUP BY m.trigger
)sql";

} // namespace

MessageResults::MessageResults(SQLite::Database& db) : m_statements(db) {}

std::vector<MessageResultRow> MessageResults::by_trigger(std::int64_t from_ms, std::int64_t to_ms,
                                                         std::int64_t window_ms) {
    std::map<std::string, MessageResultRow> rows;
    auto counts = m_statements(k_counts_sql);
    counts->bind(1, static_cast<int64_t>(from_ms));
    counts->bind(2, static_cast<int64_t>(to_ms));
    counts->bind(3, static_cast<int64_t>(window_ms));
    while (counts->executeStep()) {
        MessageResultRow& row = rows[counts->getColumn(0).getString()];
        row.trigger = counts->getColumn(0).getString();
        row.sent = counts->getColumn(1).getInt64();
        row.delivered = counts->getColumn(2).getInt64();
        row.clicked = counts->getColumn(3).getInt64();
        row.sent_customers_converted = counts->getColumn(4).getInt64();
        row.held_out = counts->getColumn(5).getInt64();
        row.control_converted = counts->getColumn(6).getInt64();
    }
    auto attributed = m_statements(k_attributed_sql);
    attributed->bind(1, static_cast<int64_t>(from_ms));
    attributed->bind(2, static_cast<int64_t>(to_ms));
    attributed->bind(3, static_cast<int64_t>(window_ms));
    while (attributed->executeStep()) {
        MessageResultRow& row = rows[attributed->getColumn(0).getString()];
        row.converted = attributed->getColumn(1).getInt64();
        row.revenue = attributed->getColumn(2).getInt64();
    }
    std::vector<MessageResultRow> result;
    for (auto& [trigger, row] : rows) {
        result.push_back(std::move(row));
    }
    return result;
}

} // namespace pheu::store
