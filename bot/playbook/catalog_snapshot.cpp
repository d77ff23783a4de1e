#include "bot/playbook/catalog_snapshot.h"

#include <algorithm>
#include <utility>

namespace pheu::bot {

CatalogSnapshot::CatalogSnapshot(std::vector<CatalogProduct> by_sku, std::size_t search_limit)
    : m_by_sku(std::move(by_sku)) {
    m_searchable = first(search_limit);
    for (const auto& product : m_by_sku) {
        if (product.in_stock) {
            m_in_stock.emplace(product.sku, product);
        }
    }
}

const CatalogProduct* CatalogSnapshot::product(std::string_view sku) const {
    const auto found = std::lower_bound(
        m_by_sku.begin(), m_by_sku.end(), sku,
        [](const CatalogProduct& product, std::string_view wanted) { return std::string_view(product.sku) < wanted; });
    return found != m_by_sku.end() && found->sku == sku ? &*found : nullptr;
}

std::vector<CatalogProduct> CatalogSnapshot::first(std::size_t count) const {
    return {m_by_sku.begin(), m_by_sku.begin() + static_cast<std::ptrdiff_t>(std::min(count, m_by_sku.size()))};
}

} // namespace pheu::bot
