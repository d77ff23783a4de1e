#pragma once
// Which of the shop's products a shopper's question names: "áo sơ mi trắng còn không",
// "dam hoa gia bao nhieu". Words are compared folded (no marks, any order); the words of the
// question itself ("còn", "giá", "bao nhiêu", "shop ơi") are not product words, nor colours
// alone in a question about colour ("có màu xanh không": the product in view). Pure.
#include "bot/playbook/product_tips.h"

#include <string_view>
#include <vector>

namespace pheu::bot {

// The products the question names best, at most `limit`, best first: those sharing the most
// product words with the question, and only when that is every product word of the question
// or at least two of them. Empty when the question names no product.
std::vector<CatalogProduct> products_named_in(std::string_view question, const std::vector<CatalogProduct>& catalog,
                                              std::size_t limit = 3);

// True when the question has words that could name a product (after the question words).
bool names_a_product(std::string_view question);

} // namespace pheu::bot
