#pragma once
// What a shopper's chat message asks for, from the words Vietnamese shoppers type (with or
// without diacritics, in short forms: "ko", "dc", "sp", "shop ơi"), or from the payload of a
// button they tapped. Pure: the corpus in tests/data/intents.tsv measures it.
#include <optional>
#include <string>
#include <string_view>

namespace pheu::bot {

enum class Intent {
    voucher,        // a discount, a code, a sale
    product_advice, // what to buy, what is new or selling well
    product_price,  // "giá bao nhiêu"
    product_stock,  // "còn hàng không", "size M còn không"
    size_advice,    // "1m6 50kg mặc size gì"
    shipping,       // ship, freeship, delivery time, COD
    payment,        // "chuyển khoản được không", "thanh toán bằng gì", "trả góp"
    order_support,  // an order of theirs: cancel, where it is, delivered wrong or faulty, a refund
    returns,        // exchanging or returning: "đổi size được không", "shop có đổi trả không"
    order_request,  // wants to buy now: "lấy cho mình 1 cái size L", "chốt đơn", "muốn mua áo này"
    order_details,  // the name, phone and address an order request asked for (no keyword: in conversation)
    shop_info,      // address, opening hours, hotline
    help,           // how to use the chat, the menu
    greeting,       // "chào shop", "shop ơi" and nothing else
    thanks,         // "cảm ơn shop", "ok ạ"
    stop,           // a clear opt-out
    stop_unclear,   // "dung" or "huy" typed alone without marks: "dừng"? "đúng"? the name Huy?
    start,          // opting back in
    get_started,    // Messenger's "Get started" button
    fallback,       // words, but none pheu understands
};

// The id used in triggers ("keyword:voucher") and button payloads.
const char* intent_id(Intent intent);
std::optional<Intent> parse_intent(std::string_view id);

// The intent whose rule answers `intent` in a playbook saved before `intent` existed: the one
// it was split from (`returns` from `order_support`), else `fallback`. nullopt for `fallback`.
std::optional<Intent> answered_before_by(Intent intent);

// The intent of a typed message. An opt-out is read with the message's own marks: "dừng" and
// the phrases "không nhận tin nữa", "đừng nhắn nữa", "hủy đăng ký" opt out; "đúng", "dùng",
// "hủy đơn" never do; an unmarked "dung" or "huy" alone is `stop_unclear`. The other intents
// match keyword phrases as whole words, diacritics ignored. Text with no letters or digits (a
// sticker, an emoji) has no intent.
std::optional<Intent> intent_of_text(std::string_view text);

// The intent of a button payload or quick reply: the intent ids in any case ("VOUCHER",
// "get_started"), else whatever its text would mean typed.
std::optional<Intent> intent_of_payload(std::string_view payload);

// A reply that picks a numbered option ("1", "2.", "số 2", "chọn 3", a "SURVEY_2" payload):
// the number, 1 to 9; nullopt for anything else.
std::optional<int> choice_of_text(std::string_view text);

// "1m6 50kg", "52kg": the shopper already gave their height or weight.
bool mentions_body_measurements(std::string_view text);

// "size M", "sz 39", "cỡ L", "2xl": the shopper named the size they want.
bool mentions_size(std::string_view text);

// "xanh", "den", "trang": a colour, folded (no marks).
bool is_colour_word(std::string_view folded_word);

// "có màu xanh không", "mau den con ko", "có mấy màu": the shopper asks about a colour.
// "màu" (colour) is read with its marks, as "mẫu" (a design) folds to "mau" too; unmarked
// "mau" counts only before a colour.
bool asks_about_colour(std::string_view text);

// "An, 0912 345 678, 12 Lê Lợi": the message holds a Vietnamese phone number.
bool mentions_phone_number(std::string_view text);

// "có", "ok", "dừng", "dung" alone: a yes to the question pheu just asked. Never "đúng".
bool is_affirmation(std::string_view text);

// "Đúng rồi", "phải", "dạ đúng": agreement, written with its marks, that never confirms an
// opt-out (the shopper may have answered something else), so pheu asks once more instead.
bool agrees_without_confirming(std::string_view text);

} // namespace pheu::bot
