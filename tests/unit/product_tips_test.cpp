#include "bot/playbook/product_tips.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;

namespace {

TipInputs shop_with(std::initializer_list<CatalogProduct> products) {
    TipInputs inputs;
    for (const auto& product : products) {
        inputs.catalog[product.sku] = product;
    }
    return inputs;
}

const CatalogProduct k_shirt{"AO-1", "Áo thun", "ao", 199000, "", "", true};
const CatalogProduct k_jeans{"QUAN-1", "Quần jean", "quan", 459000, "", "", true};
const CatalogProduct k_shorts{"QUAN-2", "Quần short", "quan", 259000, "", "", true};
const CatalogProduct k_cap{"NON-1", "Nón", "phu_kien", 99000, "", "", false};

} // namespace

TEST_CASE("the tip is what is most often bought together with their purchases", "[unit][tips]") {
    TipInputs inputs = shop_with({k_shirt, k_jeans, k_shorts, k_cap});
    inputs.bought = {"AO-1"};
    inputs.just_bought = {"AO-1"};
    inputs.bought_together = {{"QUAN-2", 3}, {"QUAN-1", 5}, {"NON-1", 9}};
    CHECK(choose_product_tip(inputs)->sku == "QUAN-1"); // NON-1 is out of stock
}

TEST_CASE("without co-purchases: their favourite category's best seller they do not own", "[unit][tips]") {
    TipInputs inputs = shop_with({k_shirt, k_jeans, k_shorts});
    inputs.bought = {"QUAN-1", "AO-1"};
    inputs.just_bought = {"AO-1"};
    inputs.favourite_category = "quan";
    inputs.sales = {{"QUAN-1", 50}, {"QUAN-2", 10}, {"AO-1", 90}};
    CHECK(choose_product_tip(inputs)->sku == "QUAN-2");
}

TEST_CASE("else the best seller, never what they just bought, never out of stock", "[unit][tips]") {
    TipInputs inputs = shop_with({k_shirt, k_jeans, k_cap});
    inputs.sales = {{"NON-1", 100}, {"AO-1", 90}, {"QUAN-1", 20}};
    CHECK(choose_product_tip(inputs)->sku == "AO-1");
    inputs.just_bought = {"AO-1"};
    CHECK(choose_product_tip(inputs)->sku == "QUAN-1");
    // No sales at all: still a product in stock.
    inputs.sales.clear();
    CHECK(choose_product_tip(inputs)->sku == "QUAN-1");
    CHECK_FALSE(choose_product_tip(shop_with({k_cap})).has_value());
    CHECK_FALSE(choose_product_tip(TipInputs{}).has_value());
}

TEST_CASE("ties go to the better seller, then the smaller sku", "[unit][tips]") {
    TipInputs inputs = shop_with({k_shirt, k_jeans, k_shorts});
    inputs.bought = {"AO-1"};
    inputs.just_bought = {"AO-1"};
    inputs.bought_together = {{"QUAN-1", 2}, {"QUAN-2", 2}};
    inputs.sales = {{"QUAN-2", 7}, {"QUAN-1", 3}};
    CHECK(choose_product_tip(inputs)->sku == "QUAN-2");
    inputs.sales.clear();
    CHECK(choose_product_tip(inputs)->sku == "QUAN-1");
}
