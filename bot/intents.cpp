#include "bot/intents.h"

#include "bot/text_fold.h"

#include <array>
#include <utility>

namespace pheu::bot {

namespace {

constexpr std::array<std::pair<Intent, const char*>, 8> k_ids = {{
    {Intent::voucher, "voucher"},
    {Intent::product_advice, "product_advice"},
    {Intent::shop_info, "shop_info"},
    {Intent::stop, "stop"},
    {Intent::start, "start"},
    {Intent::help, "help"},
    {Intent::get_started, "get_started"},
    {Intent::fallback, "fallback"},
}};

// Whole-message phrases, folded.
constexpr std::array k_stop_phrases = {"dung",     "stop",        "huy",      "dung lai", "dung gui",
                                       "huy dang ky", "ngung",    "ngung gui", "unsubscribe", "khong nhan tin"};
constexpr std::array k_start_phrases = {"bat dau", "start", "dang ky lai", "dang ky", "subscribe", "nhan tin lai"};

struct KeywordIntent {
    Intent intent;
    const char* phrase; // folded
};

// First match wins, so the more specific asks come first.
constexpr std::array<KeywordIntent, 27> k_keywords = {{
    {Intent::voucher, "khuyen mai"},
    {Intent::voucher, "giam gia"},
    {Intent::voucher, "ma giam"},
    {Intent::voucher, "voucher"},
    {Intent::voucher, "coupon"},
    {Intent::voucher, "uu dai"},
    {Intent::voucher, "discount"},
    {Intent::voucher, "km"},
    {Intent::shop_info, "dia chi"},
    {Intent::shop_info, "gio mo cua"},
    {Intent::shop_info, "mo cua"},
    {Intent::shop_info, "dong cua"},
    {Intent::shop_info, "hotline"},
    {Intent::shop_info, "so dien thoai"},
    {Intent::shop_info, "lien he"},
    {Intent::shop_info, "o dau"},
    {Intent::product_advice, "tu van"},
    {Intent::product_advice, "san pham"},
    {Intent::product_advice, "goi y"},
    {Intent::product_advice, "mua gi"},
    {Intent::product_advice, "ban chay"},
    {Intent::product_advice, "hang moi"},
    {Intent::help, "huong dan"},
    {Intent::help, "tro giup"},
    {Intent::help, "help"},
    {Intent::help, "menu"},
    {Intent::help, "giup"},
}};

// True when `phrase` occurs in `text` as whole words (both are folded: single spaces).
bool contains_words(std::string_view text, std::string_view phrase) {
    for (std::size_t at = text.find(phrase); at != std::string_view::npos; at = text.find(phrase, at + 1)) {
        const bool starts_word = at == 0 || text[at - 1] == ' ';
        const std::size_t end = at + phrase.size();
        const bool ends_word = end == text.size() || text[end] == ' ';
        if (starts_word && ends_word) {
            return true;
        }
    }
    return false;
}

template <typename Phrases> bool is_one_of(std::string_view text, const Phrases& phrases) {
    for (std::string_view phrase : phrases) {
        if (text == phrase) {
            return true;
        }
    }
    return false;
}

} // namespace

const char* intent_id(Intent intent) {
    for (const auto& [value, id] : k_ids) {
        if (value == intent) {
            return id;
        }
    }
    return "fallback";
}

std::optional<Intent> parse_intent(std::string_view id) {
    for (const auto& [value, name] : k_ids) {
        if (id == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<Intent> intent_of_text(std::string_view text) {
    const std::string folded = fold_vietnamese(text);
    if (folded.empty()) {
        return std::nullopt;
    }
    if (is_one_of(folded, k_stop_phrases)) {
        return Intent::stop;
    }
    if (is_one_of(folded, k_start_phrases)) {
        return Intent::start;
    }
    for (const auto& keyword : k_keywords) {
        if (contains_words(folded, keyword.phrase)) {
            return keyword.intent;
        }
    }
    return Intent::fallback;
}

std::optional<Intent> intent_of_payload(std::string_view payload) {
    std::string id = fold_vietnamese(payload);
    for (char& c : id) {
        if (c == ' ') {
            c = '_';
        }
    }
    if (auto intent = parse_intent(id); intent && *intent != Intent::fallback) {
        return intent;
    }
    return intent_of_text(payload);
}

} // namespace pheu::bot
