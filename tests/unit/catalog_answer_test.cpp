#include "bot/playbook/catalog_answer.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;

namespace {

std::vector<CatalogProduct> catalog() {
    auto product = [](const char* sku, const char* name, bool in_stock = true) {
        CatalogProduct row;
        row.sku = sku;
        row.name = name;
        row.in_stock = in_stock;
        return row;
    };
    return {product("SM-1", "Áo sơ mi trắng tay dài"), product("AT-1", "Áo thun trắng basic"),
            product("DH-1", "Đầm hoa nhí vintage"), product("VD-1", "Váy đen công sở", false),
            product("AM-1", "Ao mua bo")};
}

std::vector<std::string> skus(const std::vector<CatalogProduct>& products) {
    std::vector<std::string> found;
    for (const auto& product : products) {
        found.push_back(product.sku);
    }
    return found;
}

} // namespace

TEST_CASE("a question names products with or without marks, in any word order", "[unit][catalog]") {
    const auto products = catalog();
    CHECK(skus(products_named_in("áo sơ mi trắng còn không", products)) == std::vector<std::string>{"SM-1"});
    CHECK(skus(products_named_in("so mi trang con ko shop", products)) == std::vector<std::string>{"SM-1"});
    CHECK(skus(products_named_in("dam hoa gia bao nhieu", products)) == std::vector<std::string>{"DH-1"});
    CHECK(skus(products_named_in("hoa đầm giá sao", products)) == std::vector<std::string>{"DH-1"});
    // The products naming the most of its words, the closest (fewest other words) first.
    CHECK(skus(products_named_in("áo trắng còn không", products)) == std::vector<std::string>{"AT-1", "SM-1"});
    CHECK(skus(products_named_in("váy đen còn size M ko", products)) == std::vector<std::string>{"VD-1"});
}

TEST_CASE("a question that names no product, or one the shop does not sell", "[unit][catalog]") {
    const auto products = catalog();
    CHECK_FALSE(names_a_product("giá bao nhiêu ạ"));
    CHECK_FALSE(names_a_product("size M còn không shop"));
    // A pair of the shoes just asked about, with its marks or without.
    CHECK_FALSE(names_a_product("lấy cho mình 1 đôi sz 38 nhé"));
    CHECK_FALSE(names_a_product("lay cho minh 1 doi sz 38 nhe"));
    CHECK(products_named_in("còn hàng không", products).empty());
    // "mưa" (rain) written with its marks is not "mua" (buy); an unmarked catalog still matches it.
    CHECK(skus(products_named_in("áo mưa còn không", products)) == std::vector<std::string>{"AM-1"});
    CHECK(products_named_in("áo đỏ còn không", catalog()).size() == 0);
    CHECK(products_named_in("giày thể thao còn không", products).empty());
    // An order's "để mình đặt" names nothing: it is the product just asked about.
    CHECK_FALSE(names_a_product("ok để mình đặt nhé"));
}

TEST_CASE("a colour asked about names no product alone, and picks one among those named", "[unit][catalog]") {
    const auto products = catalog();
    // "có màu đen không" asks for the product in view in black, not for "Váy đen công sở".
    CHECK_FALSE(names_a_product("có màu đen không shop"));
    CHECK_FALSE(names_a_product("co mau den ko"));
    CHECK(products_named_in("có màu trắng không", products).empty());
    // With a product named, the colour still tells which.
    CHECK(skus(products_named_in("váy màu đen còn không", products)) == std::vector<std::string>{"VD-1"});
    // Not a question about colour: "đen" alone may name the black dress.
    CHECK(skus(products_named_in("đen còn không", products)) == std::vector<std::string>{"VD-1"});
}
