#include "bot/playbook/intents.h"

#include "common/phone.h"
#include "common/text_fold.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace pheu::bot {

using common::fold_vietnamese;
using common::lower_vietnamese;

namespace {

constexpr std::array<std::pair<Intent, const char*>, 20> k_ids = {{
    {Intent::voucher, "voucher"},
    {Intent::product_advice, "product_advice"},
    {Intent::product_price, "product_price"},
    {Intent::product_stock, "product_stock"},
    {Intent::size_advice, "size_advice"},
    {Intent::shipping, "shipping"},
    {Intent::payment, "payment"},
    {Intent::order_support, "order_support"},
    {Intent::returns, "returns"},
    {Intent::order_request, "order_request"},
    {Intent::order_details, "order_details"},
    {Intent::shop_info, "shop_info"},
    {Intent::help, "help"},
    {Intent::greeting, "greeting"},
    {Intent::thanks, "thanks"},
    {Intent::stop, "stop"},
    {Intent::stop_unclear, "stop_unclear"},
    {Intent::start, "start"},
    {Intent::get_started, "get_started"},
    {Intent::fallback, "fallback"},
}};

// Opting out is read from the lowered text with its marks (lower_vietnamese), never folded:
// "dừng" (stop) and "đúng" (yes) differ only in their marks. A phrase typed without marks is
// listed as typed, so "dung nhan tin" matches only a message written without them.

// The whole message.
constexpr std::array k_stop_messages = {
    "dừng",        "ngừng",       "ngưng",   "dừng lại",    "ngừng lại",   "hủy",   "huỷ",
    "hủy đăng ký", "huỷ đăng ký", "stop",    "unsubscribe", "dung lai",    "ngung", "ngung lai",
    "huy dang ky", "dừng nhé",    "dừng đi", "stop pls",    "stop please",
};
// Anywhere in the message, as whole words. "không cần nhắn tin nữa" (no need to message me any
// more) declines every message, not one offer.
constexpr std::array k_stop_phrases = {
    "không nhận tin nữa",  "ko nhận tin nữa",        "k nhận tin nữa",
    "không muốn nhận tin", "ko muốn nhận tin",       "dừng nhận tin",
    "ngừng nhận tin",      "ngưng nhận tin",         "dừng gửi tin",
    "ngừng gửi tin",       "dừng nhắn tin",          "ngừng nhắn tin",
    "đừng nhắn nữa",       "đừng nhắn tin nữa",      "đừng gửi tin",
    "đừng gửi nữa",        "đừng nhắn tin cho",      "hủy đăng ký",
    "huỷ đăng ký",         "hủy nhận tin",           "huỷ nhận tin",
    "unsubscribe",         "stop sending",           "stop messaging",
    "khong nhan tin nua",  "ko nhan tin nua",        "k nhan tin nua",
    "khong muon nhan tin", "ko muon nhan tin",       "dung nhan tin",
    "ngung nhan tin",      "dung gui tin",           "ngung gui tin",
    "ngung nhan tin",      "dung nhan nua",          "dung gui nua",
    "huy dang ky",         "huy nhan tin",           "không cần nhắn tin nữa",
    "ko cần nhắn tin nữa", "k cần nhắn tin nữa",     "không cần gửi tin nữa",
    "ko cần gửi tin nữa",  "khong can nhan tin nua", "ko can nhan tin nua",
    "k can nhan tin nua",  "khong can gui tin nua",
};
// Without marks, these are "dừng"/"hủy" or "đúng"/"dùng"/the name Huy: pheu asks.
constexpr std::array k_unclear_stop_messages = {"dung", "huy"};

constexpr std::array k_start_messages = {"bắt đầu",          "bat dau",         "start",        "đăng ký lại",
                                         "dang ky lai",      "nhận tin lại",    "nhan tin lai", "subscribe",
                                         "đăng ký nhận tin", "dang ky nhan tin"};

// Not "đúng" (right) in any form: written with its marks it never opts anyone out, even
// after pheu's question (a shopper who typed "dung" for "đúng" to staff, then "Đúng rồi" to a
// question they did not expect, was opted out). Unmarked "dung" is the answer the question
// asks for ("Trả lời DỪNG").
constexpr std::array k_affirmations = {"dung",     "dung roi", "có",       "co",      "ok", "oke",   "okay",
                                       "yes",      "ừ",        "ừm",       "vâng",    "dạ", "dạ có", "dừng",
                                       "dừng rồi", "xác nhận", "xac nhan", "dạ vâng", "uh", "um"};

constexpr std::array k_unconfirming_agreements = {
    "đúng",        "đúng rồi",   "đúng vậy", "đúng ạ",   "đúng rồi ạ", "đúng rồi shop", "đúng rồi ad", "dạ đúng",
    "dạ đúng rồi", "ừ đúng rồi", "phải",     "phải rồi", "phải ạ",     "dạ phải",       "chính xác"};

struct KeywordIntent {
    Intent intent;
    const char* phrase; // folded: lower case, no marks
};

// First match wins, so the more specific asks come first: "hủy đơn" is about an order,
// "ship bao nhiêu" about shipping, before "bao nhiêu" means a price.
constexpr std::array k_keywords = std::to_array<KeywordIntent>({
    {Intent::order_support, "huy don"},
    // Exchanges and returns are asked before buying as often as after: the shop's policy answers.
    {Intent::returns, "doi tra"},
    {Intent::returns, "tra hang"},
    {Intent::returns, "tra lai hang"},
    {Intent::returns, "hoan hang"},
    {Intent::returns, "doi hang"},
    {Intent::returns, "doi size"},
    {Intent::returns, "doi sz"},
    {Intent::returns, "doi mau"},
    {Intent::returns, "doi sang size"},
    {Intent::returns, "doi sang mau"},
    {Intent::returns, "doi sp"},
    {Intent::returns, "doi san pham"},
    {Intent::returns, "chinh sach doi"},
    // Reached only when "doi hang" above was "đợi hàng" (waiting for the goods), not "đổi".
    {Intent::order_support, "doi hang"},
    {Intent::order_support, "kiem tra don"},
    {Intent::order_support, "don hang cua"},
    {Intent::order_support, "don cua minh"},
    {Intent::order_support, "don cua em"},
    {Intent::order_support, "don cua toi"},
    {Intent::order_support, "don cua chi"},
    {Intent::order_support, "don cua anh"},
    {Intent::order_support, "chua nhan duoc hang"},
    {Intent::order_support, "chua nhan dc hang"},
    {Intent::order_support, "chua nhan duoc don"},
    {Intent::order_support, "van don"},
    {Intent::order_support, "bi loi"},
    {Intent::order_support, "giao nham"},
    {Intent::order_support, "giao thieu"},
    {Intent::order_support, "hoan tien"},
    {Intent::order_support, "dat hang roi"},
    {Intent::order_support, "da dat hang"},
    {Intent::order_support, "da dat"},
    {Intent::order_support, "dat roi"},
    {Intent::order_support, "dat hom qua"},
    {Intent::order_support, "dat hom truoc"},
    {Intent::order_support, "dat tu hom"},
    {Intent::order_support, "chua thay giao"},
    {Intent::order_support, "chua thay hang"},
    {Intent::order_support, "chua giao"},
    {Intent::order_support, "chua nhan hang"},
    {Intent::order_support, "chua nhan dc"},
    {Intent::order_support, "chua nhan duoc"},
    {Intent::order_support, "toi dau roi"},
    {Intent::order_support, "den dau roi"},
    {Intent::voucher, "khuyen mai"},
    {Intent::voucher, "giam gia"},
    {Intent::voucher, "ma giam"},
    {Intent::voucher, "ma khuyen"},
    {Intent::voucher, "ma uu dai"},
    {Intent::voucher, "voucher"},
    {Intent::voucher, "vocher"},
    {Intent::voucher, "coupon"},
    {Intent::voucher, "uu dai"},
    {Intent::voucher, "discount"},
    {Intent::voucher, "km"},
    {Intent::voucher, "sale"},
    {Intent::voucher, "giam"},
    {Intent::voucher, "dung ma"},
    {Intent::voucher, "xai ma"},
    {Intent::voucher, "nhap ma"},
    {Intent::voucher, "ma code"},
    {Intent::voucher, "code giam"},
    {Intent::voucher, "co ma"},
    {Intent::voucher, "ma nay"},
    {Intent::voucher, "ma do"},
    {Intent::voucher, "ma kia"},
    {Intent::voucher, "ma cua"},
    // Before shipping: "chuyển khoản trước hay COD" asks how to pay.
    {Intent::payment, "thanh toan"},
    {Intent::payment, "chuyen khoan"},
    // "ck" alone is also "chồng" (husband) in teencode: only as a way to pay.
    {Intent::payment, "ck duoc"},
    {Intent::payment, "ck dc"},
    {Intent::payment, "ck truoc"},
    {Intent::payment, "ck luon"},
    {Intent::payment, "ck qua"},
    {Intent::payment, "tra gop"},
    {Intent::payment, "momo"},
    {Intent::payment, "zalopay"},
    {Intent::payment, "vnpay"},
    {Intent::payment, "quet ma"},
    {Intent::payment, "quet the"},
    {Intent::payment, "the tin dung"},
    {Intent::payment, "so tai khoan"},
    {Intent::payment, "stk"},
    {Intent::shipping, "freeship"},
    {Intent::shipping, "free ship"},
    {Intent::shipping, "mien phi van chuyen"},
    {Intent::shipping, "ship"},
    {Intent::shipping, "shipper"},
    {Intent::shipping, "giao hang"},
    {Intent::shipping, "giao toi"},
    {Intent::shipping, "giao den"},
    {Intent::shipping, "giao ve"},
    {Intent::shipping, "van chuyen"},
    {Intent::shipping, "cod"},
    {Intent::shipping, "bao lau nhan"},
    {Intent::shipping, "may ngay nhan"},
    {Intent::shipping, "may ngay thi nhan"},
    {Intent::shipping, "bao lau thi nhan"},
    {Intent::shipping, "gui hang"},
    {Intent::shipping, "giao tinh"},
    {Intent::shipping, "giao ngoai tinh"},
    {Intent::shipping, "hoa toc"},
    {Intent::shipping, "giao nhanh"},
    {Intent::shipping, "giao duoc"},
    {Intent::shipping, "giao dc"},
    {Intent::shipping, "mai giao"},
    // Before the product and size words: "lấy cho mình 1 cái size L" orders, it asks no size.
    // Not "đặt hàng", which mostly asks how ("đặt hàng như thế nào": help), nor "mình đặt"
    // alone, as often in the past ("mình đặt hôm qua mà chưa thấy"): "đặt" with what says now.
    {Intent::order_request, "chot don"},
    {Intent::order_request, "de minh dat"},
    {Intent::order_request, "de em dat"},
    {Intent::order_request, "cho minh dat"},
    {Intent::order_request, "cho em dat"},
    {Intent::order_request, "minh dat nhe"},
    {Intent::order_request, "minh dat nha"},
    {Intent::order_request, "em dat nhe"},
    {Intent::order_request, "em dat nha"},
    {Intent::order_request, "dat luon"},
    {Intent::order_request, "dat 1"},
    {Intent::order_request, "dat 2"},
    {Intent::order_request, "len don"},
    {Intent::order_request, "chot"},
    {Intent::order_request, "lay cho"},
    {Intent::order_request, "minh lay"},
    {Intent::order_request, "em lay"},
    {Intent::order_request, "lay 1"},
    {Intent::order_request, "lay 2"},
    {Intent::order_request, "lay 3"},
    {Intent::order_request, "muon mua"},
    {Intent::order_request, "can mua"},
    {Intent::order_request, "dat mua"},
    {Intent::order_request, "mua ngay"},
    {Intent::product_advice, "san pham nao"},
    {Intent::product_advice, "sp nao"},
    {Intent::product_stock, "con hang"},
    {Intent::product_stock, "hay con"},
    {Intent::product_stock, "het hang"},
    {Intent::product_stock, "het size"},
    {Intent::product_stock, "con khong"},
    {Intent::product_stock, "con ko"},
    {Intent::product_stock, "con k"},
    {Intent::product_stock, "con hok"},
    {Intent::product_stock, "con hong"},
    {Intent::product_stock, "con hem"},
    {Intent::product_stock, "con kg"},
    {Intent::product_stock, "con ha"},
    {Intent::product_stock, "con size"},
    {Intent::product_stock, "con mau"},
    {Intent::product_stock, "con sp"},
    {Intent::product_stock, "con ban"},
    {Intent::product_stock, "con nua khong"},
    {Intent::product_stock, "con nua ko"},
    {Intent::product_stock, "co san"},
    {Intent::product_stock, "co hang"},
    {Intent::product_stock, "con cai nao"},
    {Intent::product_price, "gia"},
    {Intent::product_price, "bao nhieu tien"},
    {Intent::product_price, "nhieu tien"},
    {Intent::product_price, "bn tien"},
    {Intent::product_price, "bao tien"},
    {Intent::product_price, "bao nhieu"},
    {Intent::product_price, "bn"},
    {Intent::product_price, "nhiu"},
    {Intent::size_advice, "size"},
    {Intent::size_advice, "sz"},
    {Intent::size_advice, "co nao"},
    {Intent::size_advice, "mac vua"},
    {Intent::size_advice, "mac co"},
    {Intent::size_advice, "can nang"},
    {Intent::size_advice, "chieu cao"},
    {Intent::size_advice, "bang size"},
    {Intent::shop_info, "dia chi"},
    {Intent::shop_info, "gio mo cua"},
    {Intent::shop_info, "gio lam viec"},
    {Intent::shop_info, "mo cua"},
    {Intent::shop_info, "dong cua"},
    {Intent::shop_info, "hotline"},
    {Intent::shop_info, "so dien thoai"},
    {Intent::shop_info, "sdt"},
    {Intent::shop_info, "lien he"},
    {Intent::shop_info, "o dau"},
    {Intent::shop_info, "cua hang"},
    {Intent::shop_info, "chi nhanh"},
    {Intent::shop_info, "website"},
    {Intent::shop_info, "fanpage"},
    {Intent::product_advice, "tu van"},
    {Intent::product_advice, "san pham"},
    {Intent::product_advice, "sp"},
    {Intent::product_advice, "goi y"},
    {Intent::product_advice, "mua gi"},
    {Intent::product_advice, "nen mua"},
    {Intent::product_advice, "ban chay"},
    {Intent::product_advice, "hang moi"},
    {Intent::product_advice, "mau moi"},
    {Intent::product_advice, "mau nao"},
    {Intent::product_advice, "xem hang"},
    {Intent::product_advice, "xem mau"},
    {Intent::product_advice, "co mau"},
    {Intent::product_advice, "co loai"},
    {Intent::product_advice, "co ban"},
    {Intent::product_advice, "hop voi"},
    {Intent::product_advice, "phoi do"},
    {Intent::product_advice, "lam qua"},
    {Intent::product_advice, "tang qua"},
    {Intent::product_advice, "catalog"},
    {Intent::help, "huong dan"},
    {Intent::help, "tro giup"},
    {Intent::help, "help"},
    {Intent::help, "menu"},
    {Intent::help, "dat hang"},
    {Intent::help, "cach mua"},
    {Intent::help, "mua nhu the nao"},
    {Intent::help, "mua sao"},
    {Intent::help, "lam sao"},
    {Intent::help, "nhu the nao"},
    {Intent::help, "giup"},
});

// Phrases whose words would otherwise read as a keyword: "tham gia" (join) is no price,
// "cho con" (for my child) asks nothing about stock. They are blanked before matching.
constexpr std::array k_masked_phrases = {
    "tham gia", "gia dinh", "gia han", "gia lai", "gia tri",   "con gai",      "con trai",     "cho con",
    "con minh", "con em",   "be con",  "dau gia", "dung tich", "bao nhieu ml", "bao nhieu cm", "bao nhieu gram"};

// "còn … không": whether the shop still has a thing, however much is said between the words
// ("còn quần jean xanh ko"). A stock question when no keyword says otherwise, and where a size
// is named too. Not "có … không", which asks anything ("có bảo hành không"), nor "còn … được
// không", which asks whether something can still be done.
constexpr std::array k_question_negations = {"khong", "ko", "k", "kh", "hong", "hok", "kg", "hem", "khum"};

// Words a greeting is made of: "Chào shop ạ", "shop ơi", "hi ad".
constexpr std::array k_greeting_words = {
    "chao", "xin", "hi",  "hello", "helo", "hey", "alo", "shop", "ad",   "admin", "oi",    "a",   "ah",   "nha",
    "nhe",  "em",  "anh", "chi",   "ban",  "ne",  "shp", "sop",  "buoi", "sang",  "chieu", "toi", "good", "morning"};
constexpr std::array k_greeting_openers = {"chao", "hi", "hello", "helo", "hey", "alo", "oi"};

// Thanks and acknowledgements, in the lowered text with its marks ("đúng" is a yes, the
// unmarked "dung" may be a name): a message made only of these words, with at least one of
// the first list.
constexpr std::array k_acknowledgement_words = {
    "ok", "oke", "okie", "okela", "okay", "dạ",  "da",  "vâng", "vang",  "đúng",   "được",  "duoc", "dc", "đc",
    "uh", "ừ",   "um",   "ừm",    "yes",  "cảm", "cám", "cam",  "camon", "thanks", "thank", "tks",  "ty", "cmon"};
constexpr std::array k_acknowledgement_fillers = {
    "ơn",  "on",    "you",   "rồi",  "roi", "ạ",   "a",   "shop", "ad",  "nha",  "nhé",  "nhe",
    "nhá", "nhiều", "nhieu", "vậy",  "vay", "em",  "chị", "chi",  "anh", "mình", "minh", "nè",
    "ne",  "luôn",  "luon",  "nhìu", "lắm", "lam", "ok",  "much", "so",  "hihi", "hehe"};
constexpr std::array k_thanks_phrases = {"cam on", "camon", "thanks", "thank you", "tks"};
// "thôi khỏi shop ơi", "k cần nữa": a polite no to what was offered, met with thanks (the
// fallback's "staff will answer" answers nothing asked). The whole message, fillers aside.
constexpr std::array k_declines = {"thôi",          "khỏi",      "thôi khỏi", "không cần",   "không cần đâu",
                                   "không cần nữa", "ko cần",    "k cần",     "ko cần đâu",  "k cần đâu",
                                   "ko cần nữa",    "k cần nữa", "để sau",    "thôi để sau", "để lần sau",
                                   "thoi",          "khoi",      "thoi khoi", "khong can",   "khong can dau",
                                   "khong can nua", "ko can",    "k can",     "ko can dau",  "k can dau",
                                   "ko can nua",    "k can nua", "de sau",    "thoi de sau", "de lan sau"};
constexpr std::array k_decline_fillers = {"shop", "ơi",  "oi",  "ạ",   "a",    "nha",  "nhé", "nhe", "nhá", "ad",
                                          "em",   "chị", "chi", "anh", "mình", "minh", "nè",  "ne",  "rồi", "roi"};

// True when `phrase` occurs in `text` as whole words (both single-spaced).
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
    return std::any_of(phrases.begin(), phrases.end(), [&](std::string_view phrase) { return text == phrase; });
}

template <typename Phrases> bool contains_any(std::string_view text, const Phrases& phrases) {
    return std::any_of(phrases.begin(), phrases.end(),
                       [&](std::string_view phrase) { return contains_words(text, phrase); });
}

template <typename Visit> void for_each_word(std::string_view text, Visit visit) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        visit(text.substr(start, end - start));
        start = end + 1;
    }
}

// Blanks each masked phrase with a word that matches no keyword.
void mask_phrases(std::string& folded) {
    for (std::string_view phrase : k_masked_phrases) {
        for (std::size_t at = folded.find(phrase); at != std::string::npos; at = folded.find(phrase, at + 1)) {
            const std::size_t end = at + phrase.size();
            if ((at == 0 || folded[at - 1] == ' ') && (end == folded.size() || folded[end] == ' ')) {
                folded.replace(at, phrase.size(), std::string(phrase.size(), '_'));
            }
        }
    }
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "50kg", "1m6", "1m55", "m6": a height or weight typed to ask for a size.
bool is_body_measure(std::string_view word) {
    if (word.size() > 2 && word.substr(word.size() - 2) == "kg" && all_digits(word.substr(0, word.size() - 2))) {
        return true;
    }
    const std::size_t m = word.find('m');
    return m != std::string_view::npos && m + 1 < word.size() && (m == 0 || all_digits(word.substr(0, m))) &&
           all_digits(word.substr(m + 1)) && word.size() <= 5;
}

bool mentions_body_measure_folded(std::string_view folded) {
    bool found = false;
    for_each_word(folded, [&](std::string_view word) { found = found || is_body_measure(word); });
    return found;
}

// "đổi" (exchange) folds to "doi", as do "đôi" (a pair) and "đợi" (to wait): written with
// their marks, "còn đôi size 39 không" and "đợi hàng 5 ngày rồi" ask for no exchange.
bool doi_is_no_exchange(std::string_view lowered) {
    bool other = false;
    bool exchange = false;
    for_each_word(lowered, [&](std::string_view word) {
        other = other || word == "đôi" || word == "đợi";
        exchange = exchange || word == "đổi" || word == "doi";
    });
    return other && !exchange;
}

bool asks_whether_still_there(std::string_view folded) {
    bool after_still = false;
    bool can_do = false;
    bool asks = false;
    for_each_word(folded, [&](std::string_view word) {
        can_do = can_do || (after_still && word == "duoc");
        asks = asks || (after_still && !can_do && is_one_of(word, k_question_negations));
        after_still = after_still || word == "con";
    });
    return asks;
}

// Words that ask how a size fits, not whether it is sold: "size XL rộng không", "size M có
// vừa không", "mặc size L có được không".
constexpr std::array k_fit_words = {"vua", "rong", "chat", "om",   "mac",  "hop", "nho",
                                    "to",  "lon",  "dai",  "ngan", "form", "nen", "chon"};

// "áo sơ mi có size XL không", "size 40 có ko": a named size, "có" (have) and a question,
// without a word about fit. "cỡ" (size) folds to "co" too, so "có" is read with its marks,
// or unmarked in a message typed without any.
bool asks_whether_size_is_sold(std::string_view lowered, std::string_view folded) {
    bool have = false;
    bool asks = false;
    bool fit = false;
    for_each_word(lowered, [&](std::string_view word) { have = have || word == "có" || word == "co"; });
    for_each_word(folded, [&](std::string_view word) {
        asks = asks || is_one_of(word, k_question_negations);
        fit = fit || is_one_of(word, k_fit_words);
    });
    return have && asks && !fit && mentions_size(lowered);
}

// Words that make a message a question: "size nào", "mặc gì", "còn không", "?".
constexpr std::array k_question_words = {"gi", "nao", "sao", "may", "dau", "khi", "bao"};

// "đúng size rồi, cảm ơn shop": thanks that ask nothing, whatever else they name.
bool thanks_without_asking(std::string_view text, std::string_view folded) {
    bool asks = text.find('?') != std::string_view::npos;
    for_each_word(folded, [&](std::string_view word) {
        asks = asks || is_one_of(word, k_question_negations) || is_one_of(word, k_question_words);
    });
    return !asks && contains_any(folded, k_thanks_phrases);
}

bool is_acknowledgement(std::string_view lowered) {
    bool only = true;
    bool core = false;
    for_each_word(lowered, [&](std::string_view word) {
        const bool is_core = is_one_of(word, k_acknowledgement_words);
        core = core || is_core;
        only = only && (is_core || is_one_of(word, k_acknowledgement_fillers));
    });
    return only && core;
}

bool is_decline(std::string_view lowered) {
    std::string kept;
    for_each_word(lowered, [&](std::string_view word) {
        if (!is_one_of(word, k_decline_fillers)) {
            if (!kept.empty()) {
                kept += ' ';
            }
            kept.append(word);
        }
    });
    return is_one_of(kept, k_declines);
}

bool only_greeting_words(std::string_view folded) {
    bool only = true;
    bool opener = false;
    for_each_word(folded, [&](std::string_view word) {
        only = only && is_one_of(word, k_greeting_words);
        opener = opener || is_one_of(word, k_greeting_openers);
    });
    // "shop ơi", "ad oi", "chào shop", "hi": a greeting needs an opener word or "ơi".
    return only && opener;
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

std::optional<Intent> answered_before_by(Intent intent) {
    if (intent == Intent::fallback) {
        return std::nullopt;
    }
    return intent == Intent::returns ? Intent::order_support : Intent::fallback;
}

std::optional<Intent> intent_of_text(std::string_view text) {
    const std::string lowered = lower_vietnamese(text);
    if (lowered.empty()) {
        // "??" asks something all the same; a sticker or an emoji does not.
        return text.find('?') != std::string_view::npos ? std::optional(Intent::fallback) : std::nullopt;
    }
    if (is_one_of(lowered, k_stop_messages) || contains_any(lowered, k_stop_phrases)) {
        return Intent::stop;
    }
    if (is_one_of(lowered, k_unclear_stop_messages)) {
        return Intent::stop_unclear;
    }
    if (is_one_of(lowered, k_start_messages)) {
        return Intent::start;
    }
    std::string folded = fold_vietnamese(text);
    mask_phrases(folded);
    const bool doi_is_other = doi_is_no_exchange(lowered); // read once, not for each "doi …" phrase
    for (const auto& keyword : k_keywords) {
        if (doi_is_other && keyword.intent == Intent::returns && std::string_view(keyword.phrase).starts_with("doi ")) {
            continue;
        }
        if (contains_words(folded, keyword.phrase)) {
            // "còn áo size L không" and "có size XL không" name a size to ask whether it is
            // sold; "1m6 50kg còn size nào vừa không" asks which size fits.
            if (keyword.intent == Intent::size_advice && !mentions_body_measure_folded(folded) &&
                (asks_whether_still_there(folded) || asks_whether_size_is_sold(lowered, folded))) {
                return Intent::product_stock;
            }
            if (keyword.intent == Intent::size_advice && thanks_without_asking(text, folded)) {
                return Intent::thanks;
            }
            // "có màu xanh không" asks for a colour of the product in view, not for advice
            // ("có mẫu nào mới": a design).
            if (keyword.intent == Intent::product_advice && contains_words(keyword.phrase, "mau") &&
                asks_about_colour(text)) {
                return Intent::product_stock;
            }
            return keyword.intent;
        }
    }
    if (asks_whether_still_there(folded)) {
        return Intent::product_stock;
    }
    if (mentions_body_measure_folded(folded)) {
        return Intent::size_advice;
    }
    if (only_greeting_words(folded)) {
        return Intent::greeting;
    }
    if (contains_any(folded, k_thanks_phrases) || is_acknowledgement(lowered) || is_decline(lowered)) {
        return Intent::thanks;
    }
    return Intent::fallback;
}

std::optional<Intent> intent_of_payload(std::string_view payload) {
    std::string id = fold_vietnamese(payload);
    std::replace(id.begin(), id.end(), ' ', '_');
    if (auto intent = parse_intent(id); intent && *intent != Intent::fallback) {
        return intent;
    }
    return intent_of_text(payload);
}

std::optional<int> choice_of_text(std::string_view text) {
    std::string folded = fold_vietnamese(text);
    for (const char* prefix : {"survey ", "chon so ", "chon ", "so ", "cau ", "y "}) {
        const std::string_view p = prefix;
        if (folded.size() > p.size() && folded.compare(0, p.size(), p) == 0) {
            folded.erase(0, p.size());
            break;
        }
    }
    if (folded.size() == 1 && folded[0] >= '1' && folded[0] <= '9') {
        return folded[0] - '0';
    }
    return std::nullopt;
}

bool mentions_body_measurements(std::string_view text) {
    return mentions_body_measure_folded(fold_vietnamese(text));
}

namespace {

// Clothing sizes by letter; "m", "l" and "s" alone are too many other things, so those count
// only after a word that says "size".
constexpr std::array k_letter_sizes = {"xs",  "s",   "m",   "l",   "xl",   "xxl",     "xxxl",
                                       "2xl", "3xl", "4xl", "5xl", "free", "freesize"};
constexpr std::array k_unmistakable_sizes = {"xxl", "xxxl", "2xl", "3xl", "4xl", "5xl", "freesize"};

// A size after "size": a letter size, or a number up to 60 (clothing 1-6 or 26-34, shoes 35-46).
bool is_size_value(std::string_view word) {
    if (is_one_of(word, k_letter_sizes)) {
        return true;
    }
    if (word.empty() || word.size() > 2 || !all_digits(word)) {
        return false;
    }
    const int number = std::stoi(std::string(word));
    return number >= 1 && number <= 60;
}

} // namespace

bool mentions_size(std::string_view text) {
    // "cỡ" (size) is read with its marks: folded it is "co", which is mostly "có" (yes, have).
    const std::string lowered = lower_vietnamese(text);
    bool after_size_word = false;
    bool named = false;
    for_each_word(lowered, [&](std::string_view word) {
        named = named || is_one_of(word, k_unmistakable_sizes) || (after_size_word && is_size_value(word));
        after_size_word = word == "size" || word == "sz" || word == "cỡ";
    });
    return named;
}

bool is_colour_word(std::string_view folded_word) {
    static constexpr std::array k_colours = {"xanh",  "den",  "trang",  "do",   "hong",  "vang", "tim",  "nau",
                                             "xam",   "be",   "kem",    "cam",  "bac",   "ghi",  "reu",  "navy",
                                             "duong", "nhat", "pastel", "mint", "olive", "ruou", "coban"};
    return is_one_of(folded_word, k_colours);
}

bool asks_about_colour(std::string_view text) {
    const std::string lowered = lower_vietnamese(text);
    bool after_unmarked = false;
    bool asks = false;
    for_each_word(lowered, [&](std::string_view word) {
        asks = asks || word == "màu" || (after_unmarked && is_colour_word(word));
        after_unmarked = word == "mau";
    });
    return asks;
}

bool mentions_phone_number(std::string_view text) {
    // Each run of digits, with the spaces, dots and dashes people type inside a number.
    std::size_t at = 0;
    while (at < text.size()) {
        if (!std::isdigit(static_cast<unsigned char>(text[at])) && text[at] != '+') {
            ++at;
            continue;
        }
        std::size_t end = at + 1;
        while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == ' ' ||
                                     text[end] == '.' || text[end] == '-')) {
            ++end;
        }
        // The run may go on into a house number ("0912345678 12 Lê Lợi"): its first 10 to 12
        // digits are the number.
        std::string digits;
        for (std::size_t i = at; i < end; ++i) {
            if (std::isdigit(static_cast<unsigned char>(text[i])) || (i == at && text[i] == '+')) {
                digits += text[i];
            }
        }
        for (std::size_t length = 10; length <= std::min<std::size_t>(digits.size(), 12); ++length) {
            if (common::normalise_phone(digits.substr(0, length))) {
                return true;
            }
        }
        at = end;
    }
    return false;
}

bool is_affirmation(std::string_view text) {
    return is_one_of(lower_vietnamese(text), k_affirmations);
}

bool agrees_without_confirming(std::string_view text) {
    return is_one_of(lower_vietnamese(text), k_unconfirming_agreements);
}

} // namespace pheu::bot
