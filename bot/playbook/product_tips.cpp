#include "bot/playbook/product_tips.h"

#include <functional>

namespace pheu::bot {

namespace {

std::int64_t sales_of(const TipInputs& inputs, const std::string& sku) {
    auto found = inputs.sales.find(sku);
    return found == inputs.sales.end() ? 0 : found->second;
}

// The offerable product with the highest score; ties by sales, then sku.
std::optional<CatalogProduct> best(const TipInputs& inputs, const std::function<bool(const CatalogProduct&)>& eligible,
                                   const std::function<std::int64_t(const std::string&)>& score) {
    const CatalogProduct* chosen = nullptr;
    std::int64_t chosen_score = 0;
    for (const auto& [sku, product] : inputs.catalog) {
        if (!product.in_stock || inputs.just_bought.count(sku) > 0 || !eligible(product)) {
            continue;
        }
        const std::int64_t value = score(sku);
        if (value <= 0) {
            continue;
        }
        const bool better = chosen == nullptr || value > chosen_score ||
                            (value == chosen_score && sales_of(inputs, sku) > sales_of(inputs, chosen->sku));
        if (better) { // the map is in sku order, so equal candidates keep the smaller sku
            chosen = &product;
            chosen_score = value;
        }
    }
    return chosen ? std::optional<CatalogProduct>(*chosen) : std::nullopt;
}

} // namespace

std::optional<CatalogProduct> choose_product_tip(const TipInputs& inputs) {
    auto together = [&](const std::string& sku) {
        auto found = inputs.bought_together.find(sku);
        return found == inputs.bought_together.end() ? 0 : found->second;
    };
    auto sales = [&](const std::string& sku) { return sales_of(inputs, sku); };
    auto not_bought = [&](const CatalogProduct& product) { return inputs.bought.count(product.sku) == 0; };

    if (auto tip = best(
            inputs, [](const CatalogProduct&) { return true; }, together)) {
        return tip;
    }
    if (!inputs.favourite_category.empty()) {
        auto in_favourite = [&](const CatalogProduct& product) {
            return not_bought(product) && product.category == inputs.favourite_category;
        };
        if (auto tip = best(inputs, in_favourite, sales)) {
            return tip;
        }
    }
    auto any = [](const CatalogProduct&) { return true; };
    if (auto tip = best(inputs, any, sales)) {
        return tip;
    }
    // A shop with no sales yet: any product in stock they have not just bought.
    return best(inputs, not_bought, [](const std::string&) { return std::int64_t{1}; });
}

} // namespace pheu::bot
