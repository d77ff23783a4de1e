#include "store/message_results.h"

namespace pheu::store {

namespace {

// ?1 from, ?2 to, ?3 the window. A message's moment: delivered, else sent, else written.
constexpr const char* k_counts_sql = R"sql(
SELECT m.trigger, coalesce(m.template, ''),
       sum(m.status IN ('sent', 'sandboxed')),
       sum(m.delivered_at IS NOT NULL),
       sum(m.seen_at IS NOT NULL),
       sum(EXISTS (SELECT 1 FROM links l JOIN link_clicks c ON c.link_id = l.id WHERE l.message_key = m.idempotency_key)),
       CAST(total(CASE WHEN m.status = 'sent' THEN m.cost_vnd END) AS BIGINT),
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

void bind_period(sql::Statement& statement, std::int64_t from_ms, std::int64_t to_ms, std::int64_t window_ms) {
    statement.bind(1, static_cast<int64_t>(from_ms));
    statement.bind(2, static_cast<int64_t>(to_ms));
    statement.bind(3, static_cast<int64_t>(window_ms));
}

} // namespace

MessageResults::MessageResults(sql::Connection& db) : m_statements(db) {}

std::vector<MessageCountRow> MessageResults::counts(std::int64_t from_ms, std::int64_t to_ms, std::int64_t window_ms) {
    std::vector<MessageCountRow> rows;
    auto query = m_statements(k_counts_sql);
    bind_period(*query, from_ms, to_ms, window_ms);
    while (query->step()) {
        rows.push_back(MessageCountRow{.trigger = query->text(0),
                                       .template_id = query->text(1),
                                       .sent = query->int64(2),
                                       .delivered = query->int64(3),
                                       .seen = query->int64(4),
                                       .clicked = query->int64(5),
                                       .cost_vnd = query->int64(6),
                                       .sent_customers_converted = query->int64(7),
                                       .held_out = query->int64(8),
                                       .control_converted = query->int64(9)});
    }
    return rows;
}

AttributionFacts MessageResults::attribution_facts(std::int64_t from_ms, std::int64_t to_ms, std::int64_t window_ms) {
    AttributionFacts facts;
    auto touches = m_statements(k_touches_sql);
    bind_period(*touches, from_ms, to_ms, window_ms);
    while (touches->step()) {
        const std::int64_t message_id = touches->int64(2);
        facts.touches.push_back(
            MessageTouch{.customer_id = touches->int64(0), .at = touches->int64(1), .message_id = message_id});
        if (touches->int32(3) != 0) {
            facts.period_messages.try_emplace(
                message_id, MessageLabel{.trigger = touches->text(4), .template_id = touches->text(5)});
        }
    }
    auto purchases = m_statements(k_purchases_sql);
    bind_period(*purchases, from_ms, to_ms, window_ms);
    while (purchases->step()) {
        facts.purchases.push_back(Purchase{
            .customer_id = purchases->int64(0), .placed_at = purchases->int64(1), .total = purchases->int64(2)});
    }
    return facts;
}

} // namespace pheu::store
