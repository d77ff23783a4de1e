#pragma once
// What a shopper's chat message asks for, from Vietnamese keywords that ignore case and
// diacritics, or from the payload of a button they tapped.
#include <optional>
#include <string>
#include <string_view>

namespace pheu::bot {

enum class Intent { voucher, product_advice, shop_info, stop, start, help, get_started, fallback };

// The id used in triggers ("keyword:voucher") and button payloads.
const char* intent_id(Intent intent);
std::optional<Intent> parse_intent(std::string_view id);

// The intent of a typed message. Stop and start must be the whole message ("dừng", "hủy"),
// so "hủy đơn hàng" or "nội dung" never opt anyone out; the others match a keyword phrase
// anywhere as whole words. Text with no letters (a sticker, an image) has no intent.
std::optional<Intent> intent_of_text(std::string_view text);

// The intent of a button payload or quick reply: the intent ids in any case ("VOUCHER",
// "get_started"), else whatever its text would mean typed.
std::optional<Intent> intent_of_payload(std::string_view payload);

} // namespace pheu::bot
