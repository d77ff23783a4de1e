#include "store/catalog_store.h"

#include <limits>

#include <string>

namespace pheu::store {

namespace {

constexpr const char* k_product_columns = "sku, name, category, price, url, image_url, in_stock";

ProductRow read_product(sql::Statement& row) {
    return ProductRow{row.text(0), row.text(1), row.text(2), row.int64(3), row.text(4), row.text(5), row.int32(6) != 0};
}

} // namespace

namespace {

const std::string k_item_sql = "INSERT INTO order_items (order_id, sku, category, quantity) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT DO NOTHING";

} // namespace

CatalogStore::CatalogStore(sql::Connection& db) : m_statements(db) {}

void CatalogStore::upsert(const ProductRow& product, std::int64_t now_ms) {
    auto upsert =
        m_statements("INSERT INTO products (sku, name, category, price, url, image_url, in_stock, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sku) DO UPDATE SET name = excluded.name, "
                     "category = excluded.category, price = excluded.price, url = excluded.url, "
                     "image_url = excluded.image_url, in_stock = excluded.in_stock, "
                     "updated_at = excluded.updated_at");
    upsert->bind(1, product.sku);
    upsert->bind(2, product.name);
    upsert->bind(3, product.category);
    upsert->bind(4, static_cast<int64_t>(product.price));
    upsert->bind(5, product.url);
    upsert->bind(6, product.image_url);
    upsert->bind(7, product.in_stock ? 1 : 0);
    upsert->bind(8, static_cast<int64_t>(now_ms));
    upsert->run();
}

std::optional<ProductRow> CatalogStore::product(const std::string& sku) {
    auto query = m_statements(std::string("SELECT ") + k_product_columns + " FROM products WHERE sku = ?");
    query->bind(1, sku);
    if (!query->step()) {
        return std::nullopt;
    }
    return read_product(*query);
}

std::vector<ProductRow> CatalogStore::products(int limit) {
    auto query = m_statements(std::string("SELECT ") + k_product_columns + " FROM products ORDER BY sku LIMIT ?");
    // A negative limit is none: SQLite reads LIMIT -1 so, PostgreSQL refuses it.
    query->bind(1, limit < 0 ? std::numeric_limits<std::int64_t>::max() : std::int64_t{limit});
    std::vector<ProductRow> rows;
    while (query->step()) {
        rows.push_back(read_product(*query));
    }
    return rows;
}

void CatalogStore::record_order_items(const std::string& order_id, const std::vector<OrderItem>& items) {
    auto item_statement = m_statements(k_item_sql);
    for (const auto& item : items) {
        item_statement->reset();
        item_statement->bind(1, order_id);
        item_statement->bind(2, item.sku);
        item_statement->bind(3, item.category);
        item_statement->bind(4, static_cast<int64_t>(item.quantity));
        item_statement->run();
    }
}

std::map<std::string, std::int64_t> CatalogStore::units_sold() {
    auto query = m_statements("SELECT i.sku, sum(i.quantity) FROM order_items i "
                              "JOIN orders o ON o.order_id = i.order_id WHERE o.cancelled_at IS NULL GROUP BY i.sku");
    std::map<std::string, std::int64_t> sold;
    while (query->step()) {
        sold[query->text(0)] = query->int64(1);
    }
    return sold;
}

CatalogStore::PurchaseHistory CatalogStore::purchase_history(std::int64_t customer_id) {
    PurchaseHistory history;
    auto query = m_statements("SELECT i.sku, coalesce(nullif(i.category, ''), p.category, ''), i.quantity, o.order_id, "
                              "o.placed_at FROM orders o JOIN order_items i ON i.order_id = o.order_id "
                              "LEFT JOIN products p ON p.sku = i.sku "
                              "WHERE o.customer_id = ? AND o.cancelled_at IS NULL AND o.placed_at IS NOT NULL "
                              "ORDER BY o.placed_at DESC, o.order_id DESC");
    query->bind(1, static_cast<int64_t>(customer_id));
    std::map<std::string, std::int64_t> per_category;
    std::string latest_order;
    while (query->step()) {
        const std::string sku = query->text(0);
        const std::string order_id = query->text(3);
        if (latest_order.empty()) {
            latest_order = order_id;
        }
        if (order_id == latest_order) {
            history.latest_order.insert(sku);
        }
        history.bought.insert(sku);
        if (const std::string category = query->text(1); !category.empty()) {
            per_category[category] += query->int64(2);
        }
    }
    std::int64_t most = 0;
    for (const auto& [category, units] : per_category) {
        if (units > most) {
            most = units;
            history.favourite_category = category;
        }
    }
    return history;
}

std::map<std::string, std::int64_t> CatalogStore::bought_together(const std::set<std::string>& skus) {
    auto query = m_statements("SELECT other.sku, count(DISTINCT other.order_id) FROM order_items mine "
                              "JOIN order_items other ON other.order_id = mine.order_id AND other.sku <> mine.sku "
                              "JOIN orders o ON o.order_id = other.order_id AND o.cancelled_at IS NULL "
                              "WHERE mine.sku = ? GROUP BY other.sku");
    std::map<std::string, std::int64_t> together;
    for (const auto& sku : skus) {
        query->reset();
        query->bind(1, sku);
        while (query->step()) {
            together[query->text(0)] += query->int64(1);
        }
    }
    query->reset();
    return together;
}

std::vector<std::string> CatalogStore::viewed_skus(std::int64_t customer_id, int limit) {
    auto query = m_statements("SELECT sku FROM product_views WHERE customer_id = ? "
                              "ORDER BY last_viewed_at DESC, view_count DESC LIMIT ?");
    query->bind(1, static_cast<int64_t>(customer_id));
    query->bind(2, limit);
    std::vector<std::string> skus;
    while (query->step()) {
        skus.push_back(query->text(0));
    }
    return skus;
}

} // namespace pheu::store
