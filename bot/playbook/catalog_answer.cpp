#include "bot/playbook/catalog_answer.h"

#include "bot/playbook/intents.h"
#include "common/text_fold.h"

#include <algorithm>
#include <array>
#include <vector>
#include <string>

namespace pheu::bot {

using common::fold_vietnamese;
using common::lower_vietnamese;

namespace {

// Words that ask rather than name: the question's frame, politeness, short forms. A word the
// shopper typed with marks is looked up with them ("mưa", rain, is not "mua", buy); one typed
// without marks is looked up without them.
constexpr std::array k_question_words_marked = {
    "còn", "hàng", "không", "giá", "bao", "nhiêu", "tiền", "ơi", "ạ", "à", "nhé", "nhá", "vậy", "thế", "nào", "sao",
    "hỏi", "mình", "chị", "bạn", "tôi", "muốn", "mua", "có", "hết", "sẵn", "nữa", "mẫu", "màu", "cái", "chiếc", "bộ",
    "này", "đó", "đấy", "là", "gì", "được", "đi", "rồi", "chưa", "với", "giúp", "giùm", "sản", "phẩm", "loại", "một",
    "nè", "hả", "hông", "ảnh", "hình", "đc", "hở", "ấy", "cỡ", "bên", "bán", "đang",
    // A count, as "cái" is: "1 đôi sz 38" (of the shoes just asked about).
    "đôi",
    // An order's words: "lấy cho mình 1 cái size S", "chốt đơn", "lên đơn", "để mình đặt".
    "lấy", "chốt", "đơn", "lên", "đặt", "luôn", "thôi", "để"};
constexpr std::array k_question_words_unmarked = {
    "con", "hang", "khong", "ko", "k", "kg", "hok", "hong", "hem", "ha", "gia", "bao", "nhieu", "nhiu", "bn", "tien",
    "shop", "oi", "ad", "admin", "a", "ah", "nha", "nhe", "vay", "v", "the", "nao", "sao", "cho", "hoi", "minh", "em",
    "chi", "anh", "ban", "toi", "muon", "mua", "xem", "co", "het", "san", "nua", "size", "sz", "mau", "cai", "chiec",
    "bo", "nay", "kia", "do", "day", "la", "gi", "duoc", "dc", "di", "roi", "chua", "vs", "voi", "giup", "check", "ib",
    "inbox", "sp", "pham", "loai", "mot", "hai", "ne", "u", "s", "m", "l", "xl", "xxl", "xs", "trong", "hinh", "dang",
    "ben", "doi",
    // Not "len" unmarked: "áo len" is wool.
    "lay", "chot", "don", "dat", "ok", "oke", "okie", "okay", "luon", "thoi", "de"};

struct QuestionWord {
    std::string as_typed; // lower case, marks kept
    std::string folded;
    bool marked = false; // typed with marks: compared with them where the catalog has them too
};

// "mưa" is not "mua" when both are written with marks; "ao" is "áo", and "áo" is a
// catalog's unmarked "ao".
bool same_word(const QuestionWord& word, const std::string& product_word) {
    const std::string product_folded = fold_vietnamese(product_word);
    if (word.marked && product_folded != product_word) {
        return word.as_typed == product_word;
    }
    return word.folded == product_folded;
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        words.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

template <typename Words> bool is_listed(const Words& words, std::string_view word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

std::vector<QuestionWord> product_words_of_question(std::string_view question) {
    std::vector<QuestionWord> words;
    for (auto& word : split_words(lower_vietnamese(question))) {
        const std::string folded = fold_vietnamese(word);
        const bool marked = folded != word;
        const bool asks = marked
                              ? is_listed(k_question_words_marked, word) || is_listed(k_question_words_unmarked, word)
                              : is_listed(k_question_words_unmarked, word);
        const bool number = std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!asks && !number) {
            words.push_back(QuestionWord{word, folded, marked});
        }
    }
    // "có màu xanh không" asks for a colour of the product in view: a colour alone names no
    // product ("Quần jean xanh" is not what was asked about).
    const bool colours_only =
        std::all_of(words.begin(), words.end(), [](const QuestionWord& word) { return is_colour_word(word.folded); });
    if (colours_only && asks_about_colour(question)) {
        return {};
    }
    return words;
}

} // namespace

bool names_a_product(std::string_view question) {
    return !product_words_of_question(question).empty();
}

std::vector<CatalogProduct> products_named_in(std::string_view question, const std::vector<CatalogProduct>& catalog,
                                              std::size_t limit) {
    const auto wanted = product_words_of_question(question);
    if (wanted.empty()) {
        return {};
    }
    struct Scored {
        std::size_t matched;
        std::size_t extra; // product words the question did not name: fewer is a closer match
        const CatalogProduct* product;
    };
    std::vector<Scored> scored;
    for (const auto& product : catalog) {
        const auto product_words =
            split_words(lower_vietnamese(product.name + " " + product.category + " " + product.sku));
        std::size_t matched = 0;
        for (const auto& word : wanted) {
            if (std::any_of(product_words.begin(), product_words.end(),
                            [&](const std::string& product_word) { return same_word(word, product_word); })) {
                ++matched;
            }
        }
        const bool enough = matched == wanted.size() || matched >= 2;
        if (matched > 0 && enough) {
            scored.push_back({matched, product_words.size() - std::min(product_words.size(), matched), &product});
        }
    }
    std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        if (a.matched != b.matched) {
            return a.matched > b.matched;
        }
        if (a.product->in_stock != b.product->in_stock) {
            return a.product->in_stock;
        }
        return a.extra < b.extra;
    });
    std::vector<CatalogProduct> best;
    for (const auto& entry : scored) {
        if (best.size() == limit || entry.matched < scored.front().matched) {
            break;
        }
        best.push_back(*entry.product);
    }
    return best;
}

} // namespace pheu::bot
