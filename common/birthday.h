#pragma once
// Birthdays as people and platforms write them: Zalo's shared info, forms, imports.
#include <optional>
#include <string>

namespace pheu::common {

struct MonthDay {
    unsigned month = 1;
    unsigned day = 1;
};

// A birthday's month and day from "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "yyyy-mm-dd" or
// "dd/mm"; nullopt for anything else or an impossible date.
std::optional<MonthDay> parse_birthday(const std::string& text);

} // namespace pheu::common
