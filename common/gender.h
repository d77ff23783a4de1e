#pragma once
// A customer's gender as the platforms and the shop write it: Zalo's "1"/"2", "male",
// "Nữ", "nam", "F"… Read once here for the greeting's honorific (templates/vn_format.h) and
// a segment's gender filter (store/segment_store.h, through the gender_key the repository
// writes).
#include <optional>
#include <string_view>

namespace pheu::common {

enum class Gender { male, female };

// Nullopt for anything else ("other", "", a typo): such a customer is greeted "bạn" and
// matches no gender filter.
std::optional<Gender> parse_gender(std::string_view text);

const char* gender_id(Gender gender); // "male" | "female"

} // namespace pheu::common
