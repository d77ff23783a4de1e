#pragma once
// Cities as shoppers and platforms write them. Zalo's shared info says "Thành phố Hồ Chí
// Minh", a form says "TP.HCM", a shop owner filtering a segment types "Sài Gòn": all one city.
#include <string>
#include <string_view>

namespace pheu::common {

// The key two spellings of one city share: folded (no diacritics, lower case), without an
// administrative prefix ("thành phố", "tp", "tỉnh"), and the common short names of the
// largest cities spelt out: "TP. Hồ Chí Minh", "HCM", "Sài Gòn" → "ho chi minh"; "HN",
// "Hà Nội" → "ha noi". Empty for a text with no letters or digits.
std::string city_key(std::string_view text);

} // namespace pheu::common
