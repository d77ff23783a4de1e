#pragma once
// The shop's products in memory, in sku order: what messages read of the catalog (a product
// by sku, the catalog's first products, those in stock), loaded once per configuration
// version (store/config_version.h) instead of once or twice per message.
#include "bot/playbook/product_tips.h"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pheu::bot {

class CatalogSnapshot {
public:
    // `by_sku` in sku order; a product question is matched against the first `search_limit`.
    CatalogSnapshot(std::vector<CatalogProduct> by_sku, std::size_t search_limit);

    const CatalogProduct* product(std::string_view sku) const;
    // The first `count` products in sku order.
    std::vector<CatalogProduct> first(std::size_t count) const;
    // What a product question is matched against.
    const std::vector<CatalogProduct>& searchable() const { return m_searchable; }
    // By sku, those in stock: what a product tip picks from.
    const std::map<std::string, CatalogProduct>& in_stock() const { return m_in_stock; }

private:
    std::vector<CatalogProduct> m_by_sku;
    std::vector<CatalogProduct> m_searchable;
    std::map<std::string, CatalogProduct> m_in_stock;
};

} // namespace pheu::bot
