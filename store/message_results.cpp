#include "store/message_results.h"

#include <SQLiteCpp/Statement.h>

namespace pheu::store {

namespace {

// ?1 from, ?2 to, ?3 the window. A message's moment: delivered, else sent, else written.
constexpr const char* k_counts_sql = R"sql(
SELECT m.trigger, coalesce(m.template, ''),
       sum(m.status IN ('sent', 'sandboxed')),
       sum(m.delivered_at IS NOT NULL),
       sum(m.seen_at IS NOT NULL),
       sum(EXISTS (SELECT 1 FROM links l JOIN link_clicks c ON c.link_id = l.id WHERE l.message_key = m.idempotency_key)),
       CAST(total(CASE WHEN m.status = 'sent' THEN m.cost_vnd END) AS INTEGER),
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
GROUP BY m.trigger, m.template ORDER BY m.trigger, m.template
)sql";

constexpr const char* k_touches_sql = R"sql(
WITH buyers AS (
    SELECT DISTINCT customer_id FROM orders
    WHERE placed_at >= ?1 AND placed_at < ?2 + ?3 AND cancelled_at IS NULL
), touches AS (
    SELECT m.customer_id, coalesce(m.delivered_at, m.sent_at, m.created_at) AS at, m.id, m.created_at,
           m.trigger, m.template
    FROM outbox m JOIN buyers b ON b.customer_id = m.customer_id
    WHERE m.kind = 'message' AND m.status IN ('sent', 'sandboxed') AND m.created_at < ?2 + ?3
    UNION ALL
    SELECT c.customer_id, c.clicked_at, m.id, m.created_at, m.trigger, m.template
    FROM link_clicks c JOIN buyers b ON b.customer_id = c.customer_id
    JOIN links l ON l.id = c.link_id JOIN outbox m ON m.idempotency_key = l.message_key
)
SELECT customer_id, at, id, created_at >= ?1 AND created_at < ?2, trigger, coalesce(template, '')
FROM touches WHERE at >= ?1 - ?3 AND at < ?2 + ?3
)sql";

constexpr const char* k_purchases_sql = R"sql(
SELECT customer_id, placed_at, total FROM orders
WHERE placed_at >= ?1 AND placed_at < ?2 + ?3 AND cancelled_at IS NULL
)sql";

void bind_period(SQLite::Statement& statement, std::int64_t from_ms, std::int64_t to_ms, std::int64_t window_ms) {
    statement.bind(1, static_cast<int64_t>(from_ms));
    statement.bind(2, static_cast<int64_t>(to_ms));
    statement.bind(3, static_cast<int64_t>(window_ms));
}

} // namespace

MessageResults::MessageResults(SQLite::Database& db) : m_statements(db) {}

std::vector<MessageCountRow> MessageResults::counts(std::int64_t from_ms, std::int64_t to_ms, std::int64_t window_ms) {
    std::vector<MessageCountRow> rows;
    auto query = m_statements(k_counts_sql);
    bind_period(*query, from_ms, to_ms, window_ms);
    while (query->executeStep()) {
        rows.push_back(MessageCountRow{.trigger = query->getColumn(0).getString(),
                                       .template_id = query->getColumn(1).getString(),
                                       .sent = query->getColumn(2).getInt64(),
                                       .delivered = query->getColumn(3).getInt64(),
                                       .seen = query->getColumn(4).getInt64(),
                                       .clicked = query->getColumn(5).getInt64(),
                                       .cost_vnd = query->getColumn(6).getInt64(),
                                       .sent_customers_converted = query->getColumn(7).getInt64(),
                                       .held_out = query->getColumn(8).getInt64(),
                                       .control_converted = query->getColumn(9).getInt64()});
    }
    return rows;
}

AttributionFacts MessageResults::attribution_facts(std::int64_t from_ms, std::int64_t to_ms, std::int64_t window_ms) {
    AttributionFacts facts;
    auto touches = m_statements(k_touches_sql);
    bind_period(*touches, from_ms, to_ms, window_ms);
    while (touches->executeStep()) {
        const std::int64_t message_id = touches->getColumn(2).getInt64();
        facts.touches.push_back(MessageTouch{.customer_id = touches->getColumn(0).getInt64(),
                                             .at = touches->getColumn(1).getInt64(),
                                             .message_id = message_id});
        if (touches->getColumn(3).getInt() != 0) {
            facts.period_messages.try_emplace(message_id,
                                              MessageLabel{.trigger = touches->getColumn(4).getString(),
                                                           .template_id = touches->getColumn(5).getString()});
        }
    }
    auto purchases = m_statements(k_purchases_sql);
    bind_period(*purchases, from_ms, to_ms, window_ms);
    while (purchases->executeStep()) {
        facts.purchases.push_back(Purchase{.customer_id = purchases->getColumn(0).getInt64(),
                                           .placed_at = purchases->getColumn(1).getInt64(),
                                           .total = purchases->getColumn(2).getInt64()});
    }
    return facts;
}

} // namespace pheu::store
