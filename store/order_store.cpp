#include "store/order_store.h"

#include <string>

namespace pheu::store {

namespace {

const std::string k_purchase_sql =
    "INSERT INTO orders (order_id, customer_id, placed_at, total, items, voucher_code, recorded_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (order_id) DO UPDATE SET "
    "placed_at = excluded.placed_at, total = excluded.total, items = excluded.items, "
    "voucher_code = excluded.voucher_code WHERE orders.placed_at IS NULL";
const std::string k_cancel_sql =
    "INSERT INTO orders (order_id, customer_id, cancelled_at, recorded_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (order_id) DO UPDATE SET cancelled_at = coalesce(orders.cancelled_at, excluded.cancelled_at)";
const std::string k_view_sql =
    "INSERT INTO product_views (customer_id, sku, view_count, last_viewed_at) VALUES (?1, ?2, 1, ?3) "
    "ON CONFLICT (customer_id, sku) DO UPDATE SET view_count = product_views.view_count + 1, "
    "last_viewed_at = max(product_views.last_viewed_at, excluded.last_viewed_at)";
const std::string k_game_sql =
    "INSERT INTO game_plays (customer_id, game_id, result, prize, played_at) VALUES (?, ?, ?, ?, ?)";

} // namespace

OrderStore::OrderStore(sql::Connection& db) : m_statements(db) {}

void OrderStore::record_purchase(const PurchaseRecord& purchase, std::int64_t now_ms) {
    auto purchase_statement = m_statements(k_purchase_sql);
    purchase_statement->bind(1, purchase.order_id);
    purchase_statement->bind(2, static_cast<int64_t>(purchase.customer_id));
    purchase_statement->bind(3, static_cast<int64_t>(purchase.placed_at));
    purchase_statement->bind(4, static_cast<int64_t>(purchase.total));
    purchase_statement->bind(5, purchase.items_json);
    if (purchase.voucher_code.empty()) {
        purchase_statement->bind_null(6);
    } else {
        purchase_statement->bind(6, purchase.voucher_code);
    }
    purchase_statement->bind(7, static_cast<int64_t>(now_ms));
    purchase_statement->run();
}

void OrderStore::record_cancellation(const std::string& order_id, std::int64_t customer_id, std::int64_t at_ms,
                                     std::int64_t now_ms) {
    auto cancel_statement = m_statements(k_cancel_sql);
    cancel_statement->bind(1, order_id);
    cancel_statement->bind(2, static_cast<int64_t>(customer_id));
    cancel_statement->bind(3, static_cast<int64_t>(at_ms));
    cancel_statement->bind(4, static_cast<int64_t>(now_ms));
    cancel_statement->run();
}

void OrderStore::record_product_view(std::int64_t customer_id, const std::string& sku, std::int64_t at_ms) {
    auto view_statement = m_statements(k_view_sql);
    view_statement->bind(1, static_cast<int64_t>(customer_id));
    view_statement->bind(2, sku);
    view_statement->bind(3, static_cast<int64_t>(at_ms));
    view_statement->run();
}

void OrderStore::record_game_play(std::int64_t customer_id, const std::string& game_id, const std::string& result,
                                  const std::string& prize, std::int64_t at_ms) {
    auto game_statement = m_statements(k_game_sql);
    game_statement->bind(1, static_cast<int64_t>(customer_id));
    game_statement->bind(2, game_id);
    game_statement->bind(3, result);
    game_statement->bind(4, prize);
    game_statement->bind(5, static_cast<int64_t>(at_ms));
    game_statement->run();
}

} // namespace pheu::store
