#pragma once
// Which product to recommend to a customer, from the catalog and order history. Pure: the
// store gathers the counts, this decides.
#include "store/catalog_store.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace pheu::bot {

// A product as the catalog holds it.
using CatalogProduct = store::ProductRow;

struct TipInputs {
    std::map<std::string, CatalogProduct> catalog;       // by sku
    std::set<std::string> bought;                        // every sku the customer ever bought
    std::set<std::string> just_bought;                   // the skus of their latest order
    std::map<std::string, std::int64_t> bought_together; // sku → orders it shares with what they bought
    std::map<std::string, std::int64_t> sales;           // sku → units sold, all customers
    std::string favourite_category;                      // the category they bought most from
};

// In order: the product most often bought together with what they bought; else the best
// seller of their favourite category that they have not bought; else the best seller. Never
// out of stock, never unknown to the catalog, never what they just bought. Ties go to the
// better seller, then to the smaller sku, so the answer is stable.
std::optional<CatalogProduct> choose_product_tip(const TipInputs& inputs);

} // namespace pheu::bot
