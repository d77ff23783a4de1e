#include "store/message_facts.h"

#include "store/sql_helpers.h"

#include <nlohmann/json.hpp>

namespace pheu::store {

namespace {

// Merges chain at most this far (as the admin API's customer lookup follows them).
constexpr int k_merge_hops = 16;

// Money is summed with total() cast back to an integer: it saturates where sum() would throw.
// Written so that a customer who was never merged, the usual case, costs index seeks only
// (the order count and money spent are the customer's own columns, migration 23):
// the merge chain is walked only when the customer was merged (a lazily run CASE branch;
// the end of the chain is the row with the most hops), and the latest order, game play and
// views are read through indexes in their order (migration 21), with no temporary table to
// build and drop for each message. The latest order is found by SQLite's rowid, the
// fastest seek there, and by its key on PostgreSQL, which has no rowid.
std::string facts_sql(sql::Backend backend) {
    const bool sqlite = backend == sql::Backend::sqlite;
    const std::string order_key = sqlite ? "rowid" : "order_id";
    // SQLite's max() takes the row's id along with the most hops, with no b-tree to sort.
    const std::string chain_end = sqlite ? "(SELECT id FROM (SELECT id, max(hops) FROM chain) AS deepest)"
                                         : "(SELECT id FROM chain ORDER BY hops DESC LIMIT 1)";
    return "WITH RECURSIVE chain (id, hops) AS (SELECT CAST(?1 AS BIGINT), 0 UNION ALL SELECT c.merged_into, "
           "chain.hops + 1 "
           "  FROM customers c JOIN chain ON c.id = chain.id WHERE c.merged_into IS NOT NULL AND chain.hops < ?3) "
           "SELECT c.id, c.stage, c.name, c.gender, c.cart, c.orders_count, c.total_spent, "
           "latest_order.order_id, latest_order.total, latest_order.placed_at, "
           "latest_play.game_id, coalesce(latest_play.result, ''), coalesce(latest_play.prize, ''), "
           "(SELECT json_group_array(sku) FROM (SELECT sku FROM product_views v WHERE v.customer_id = c.id "
           "  ORDER BY last_viewed_at DESC, view_count DESC LIMIT ?2) AS viewed), c.menu_shown_at, "
           "c.size_told_at, c.measurements_told_at "
           "FROM customers c "
           "LEFT JOIN orders latest_order ON latest_order." +
           order_key + " = (SELECT o." + order_key +
           " FROM orders o WHERE o.customer_id = c.id "
           "  AND o.cancelled_at IS NULL AND o.placed_at IS NOT NULL ORDER BY o.placed_at DESC LIMIT 1) "
           "LEFT JOIN game_plays latest_play ON latest_play.id = (SELECT g.id FROM game_plays g WHERE g.customer_id = "
           "c.id "
           "  ORDER BY g.played_at DESC, g.id DESC LIMIT 1) "
           "WHERE c.id = (SELECT CASE WHEN merged_into IS NULL THEN id "
           "  ELSE " +
           chain_end + " END FROM customers WHERE id = ?1)";
}

} // namespace

MessageFactsQuery::MessageFactsQuery(sql::Connection& db) : m_statements(db), m_facts_sql(facts_sql(db.backend())) {}

std::optional<MessageFacts> MessageFactsQuery::facts(std::int64_t customer_id, int viewed_limit) {
    auto query = m_statements(m_facts_sql);
    query->bind(1, static_cast<int64_t>(customer_id));
    query->bind(2, viewed_limit);
    query->bind(3, k_merge_hops);
    if (!query->step()) {
        return std::nullopt;
    }
    MessageFacts facts;
    facts.customer_id = query->int64(0);
    facts.stage = query->text(1);
    facts.name = optional_text(*query, 2);
    facts.gender = optional_text(*query, 3);
    facts.cart_json = optional_text(*query, 4);
    facts.orders_count = query->int64(5);
    facts.total_spent = query->int64(6);
    if (!query->is_null(7)) {
        facts.latest_order = MessageFacts::Order{query->text(7), query->int64(8), query->int64(9)};
    }
    if (!query->is_null(10)) {
        facts.latest_prize = MessageFacts::Prize{query->text(10), query->text(11), query->text(12)};
    }
    const auto viewed = nlohmann::json::parse(text_or_empty(*query, 13), nullptr, false);
    if (viewed.is_array()) {
        for (const auto& sku : viewed) {
            if (sku.is_string()) {
                facts.viewed_skus.push_back(sku.get<std::string>());
            }
        }
    }
    facts.menu_shown_at = optional_int(*query, 14);
    facts.size_told_at = optional_int(*query, 15);
    facts.measurements_told_at = optional_int(*query, 16);
    return facts;
}

} // namespace pheu::store
