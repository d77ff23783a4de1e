#pragma once
// SQL over orders and the other purchase-side facts: product views and game plays.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct OrderRow {
    std::string order_id;
    std::int64_t placed_at = 0;
    bool cancelled = false;
};

struct PurchaseRecord {
    std::string order_id;
    std::int64_t customer_id = 0;
    std::int64_t placed_at = 0;
    std::int64_t total = 0;
    std::string items_json = "[]";
    std::string voucher_code{};
};

class OrderStore {
public:
    explicit OrderStore(sql::Connection& db);

    // An order_id already known keeps its first record (redeliveries count once); one known
    // only from an earlier cancellation gets its details and stays cancelled.
    void record_purchase(const PurchaseRecord& purchase, std::int64_t now_ms);
    void record_cancellation(const std::string& order_id, std::int64_t customer_id, std::int64_t at_ms,
                             std::int64_t now_ms);

    void record_product_view(std::int64_t customer_id, const std::string& sku, std::int64_t at_ms);
    void record_game_play(std::int64_t customer_id, const std::string& game_id, const std::string& result,
                          const std::string& prize, std::int64_t at_ms);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
