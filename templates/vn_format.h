#pragma once
// Vietnamese formatting for what shoppers read: money as "699.000đ", a name with the
// friendly fallback "bạn", and text cut to a channel's length limit without breaking a
// character. Dates are common::ShopTime::format_date ("dd/mm/yyyy" in the shop's timezone).
#include <cstdint>
#include <string>
#include <string_view>

namespace pheu::templates {

// 699000 → "699.000đ", -15000 → "-15.000đ".
std::string format_money_vnd(std::int64_t amount);

// The customer's name as written, or "bạn" ("you", friendly) when none is known.
std::string display_name(std::string_view name);

// What a Vietnamese shop calls a customer: the given name, which Vietnamese write last
// ("Nguyễn Thị Lan" → "Lan"), or first when a display name puts the family name last
// ("Lan Nguyễn" → "Lan"); a name with no known family name is kept whole ("Mẹ Bống");
// "bạn" when none is known.
std::string given_name(std::string_view name);

// "anh" or "chị" when the gender is known (Zalo's 1/2, male/female, nam/nữ), else "bạn".
std::string honorific(std::string_view gender);

// The text with its first letter in upper case ("bạn ơi" → "Bạn ơi"), for a name that opens
// a sentence. Vietnamese letters with marks are handled.
std::string capitalize_first(std::string_view text);

// Counts characters (code points), as the platforms' limits do.
std::size_t utf8_length(std::string_view text);

// `text` cut to at most `max_characters` characters, the last one "…" when cut.
std::string truncate_utf8(std::string_view text, std::size_t max_characters);

} // namespace pheu::templates
