#include "store/order_store.h"

namespace pheu::store {

OrderStore::OrderStore(SQLite::Database& db)
    : m_statements(db),
      m_purchase(db, "INSERT INTO orders (order_id, customer_id, placed_at, total, items, voucher_code, recorded_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (order_id) DO UPDATE SET "
                     "placed_at = excluded.placed_at, total = excluded.total, items = excluded.items, "
                     "voucher_code = excluded.voucher_code WHERE orders.placed_at IS NULL"),
      m_cancel(
          db,
          "INSERT INTO orders (order_id, customer_id, cancelled_at, recorded_at) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT (order_id) DO UPDATE SET cancelled_at = coalesce(orders.cancelled_at, excluded.cancelled_at)"),
      m_view(db, "INSERT INTO product_views (customer_id, sku, view_count, last_viewed_at) VALUES (?1, ?2, 1, ?3) "
                 "ON CONFLICT (customer_id, sku) DO UPDATE SET view_count = view_count + 1, "
                 "last_viewed_at = max(last_viewed_at, excluded.last_viewed_at)"),
      m_game(db, "INSERT INTO game_plays (customer_id, game_id, result, prize, played_at) VALUES (?, ?, ?, ?, ?)") {}

void OrderStore::record_purchase(const PurchaseRecord& purchase, std::int64_t now_ms) {
    m_purchase.tryReset();
    m_purchase.bind(1, purchase.order_id);
    m_purchase.bind(2, static_cast<int64_t>(purchase.customer_id));
    m_purchase.bind(3, static_cast<int64_t>(purchase.placed_at));
    m_purchase.bind(4, static_cast<int64_t>(purchase.total));
    m_purchase.bind(5, purchase.items_json);
    if (purchase.voucher_code.empty()) {
        m_purchase.bind(6);
    } else {
        m_purchase.bind(6, purchase.voucher_code);
    }
    m_purchase.bind(7, static_cast<int64_t>(now_ms));
    m_purchase.exec();
}

void OrderStore::record_cancellation(const std::string& order_id, std::int64_t customer_id, std::int64_t at_ms,
                                     std::int64_t now_ms) {
    m_cancel.tryReset();
    m_cancel.bind(1, order_id);
    m_cancel.bind(2, static_cast<int64_t>(customer_id));
    m_cancel.bind(3, static_cast<int64_t>(at_ms));
    m_cancel.bind(4, static_cast<int64_t>(now_ms));
    m_cancel.exec();
}

void OrderStore::record_product_view(std::int64_t customer_id, const std::string& sku, std::int64_t at_ms) {
    m_view.tryReset();
    m_view.bind(1, static_cast<int64_t>(customer_id));
    m_view.bind(2, sku);
    m_view.bind(3, static_cast<int64_t>(at_ms));
    m_view.exec();
}

void OrderStore::record_game_play(std::int64_t customer_id, const std::string& game_id, const std::string& result,
                                  const std::string& prize, std::int64_t at_ms) {
    m_game.tryReset();
    m_game.bind(1, static_cast<int64_t>(customer_id));
    m_game.bind(2, game_id);
    m_game.bind(3, result);
    m_game.bind(4, prize);
    m_game.bind(5, static_cast<int64_t>(at_ms));
    m_game.exec();
}

} // namespace pheu::store
