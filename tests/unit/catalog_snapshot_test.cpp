#include "bot/playbook/catalog_snapshot.h"

#include <catch2/catch.hpp>

using pheu::bot::CatalogProduct;
using pheu::bot::CatalogSnapshot;

namespace {

CatalogProduct product(const std::string& sku, bool in_stock) {
    CatalogProduct row;
    row.sku = sku;
    row.name = "Áo " + sku;
    row.in_stock = in_stock;
    return row;
}

} // namespace

TEST_CASE("the catalog snapshot finds a product by sku, lists the first ones and those in stock", "[unit][catalog]") {
    const CatalogSnapshot catalog({product("AO-1", true), product("AO-2", false), product("QUAN-1", true)}, 2);
    REQUIRE(catalog.product("AO-2") != nullptr);
    CHECK(catalog.product("AO-2")->name == "Áo AO-2");
    CHECK(catalog.product("AO-3") == nullptr);
    CHECK(catalog.product("") == nullptr);
    CHECK(catalog.product("ZZZ") == nullptr);
    CHECK(catalog.first(2).size() == 2);
    CHECK(catalog.first(2)[1].sku == "AO-2");
    CHECK(catalog.first(10).size() == 3);
    // A product question is matched against the first `search_limit` only, as before.
    CHECK(catalog.searchable().size() == 2);
    CHECK(catalog.in_stock().size() == 2);
    CHECK(catalog.in_stock().count("AO-2") == 0);
}

TEST_CASE("an empty catalog answers nothing", "[unit][catalog]") {
    const CatalogSnapshot catalog({}, 5000);
    CHECK(catalog.product("AO-1") == nullptr);
    CHECK(catalog.first(3).empty());
    CHECK(catalog.in_stock().empty());
}
