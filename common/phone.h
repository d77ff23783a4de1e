#pragma once
// Vietnamese phone numbers in the one form pheu stores: 84 followed by the subscriber number.
#include <optional>
#include <string>
#include <string_view>

namespace pheu::common {

// Accepts "0912 345 678", "+84912345678", "84912345678" (spaces, dots, dashes and brackets
// ignored) and returns "84912345678"; nullopt for anything that is not a Vietnamese number.
std::optional<std::string> normalise_phone(std::string_view input);

} // namespace pheu::common
