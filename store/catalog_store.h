#pragma once
// The shop's catalog and what its orders say about it: units sold per product and which
// products share orders, read for product tips.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pheu::store {

struct ProductRow {
    std::string sku;
    std::string name;
    std::string category;
    std::int64_t price = 0;
    std::string url;
    std::string image_url;
    bool in_stock = true;
};

struct OrderItem {
    std::string sku;
    std::string category;
    std::int64_t quantity = 1;
};

class CatalogStore {
public:
    explicit CatalogStore(sql::Connection& db);

    void upsert(const ProductRow& product, std::int64_t now_ms);
    std::optional<ProductRow> product(const std::string& sku);
    std::vector<ProductRow> products(int limit);
    // Every product, in sku order.
    std::vector<ProductRow> all_products() { return products(-1); } // LIMIT -1: none

    // Indexes an order's items (once per order: a redelivered order adds nothing).
    void record_order_items(const std::string& order_id, const std::vector<OrderItem>& items);

    // Units sold per sku over orders not cancelled.
    std::map<std::string, std::int64_t> units_sold();
    // For the customer's purchases: every sku they bought, the skus of their latest order,
    // and the category they bought most from.
    struct PurchaseHistory {
        std::set<std::string> bought;
        std::set<std::string> latest_order;
        std::string favourite_category;
    };
    PurchaseHistory purchase_history(std::int64_t customer_id);
    // sku → number of orders (any customer's) that hold it together with one of `skus`.
    std::map<std::string, std::int64_t> bought_together(const std::set<std::string>& skus);
    // The customer's most viewed products, most recent first.
    std::vector<std::string> viewed_skus(std::int64_t customer_id, int limit);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
