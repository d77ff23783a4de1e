#include "common/birthday.h"

#include <cstdio>

namespace pheu::common {

std::optional<MonthDay> parse_birthday(const std::string& text) {
    unsigned a = 0;
    unsigned b = 0;
    unsigned c = 0;
    char s1 = 0;
    char s2 = 0;
    MonthDay result;
    const int fields = std::sscanf(text.c_str(), "%u%c%u%c%u", &a, &s1, &b, &s2, &c);
    if (fields == 5 && s1 == '-' && s2 == '-' && a > 31) { // yyyy-mm-dd
        result = MonthDay{b, c};
    } else if (fields == 5 && s1 == s2 && (s1 == '/' || s1 == '-' || s1 == '.')) { // dd/mm/yyyy
        result = MonthDay{b, a};
    } else if (fields == 3 && s1 == '/') { // dd/mm
        result = MonthDay{b, a};
    } else {
        return std::nullopt;
    }
    static constexpr unsigned k_days_in_month[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (result.month < 1 || result.month > 12 || result.day < 1 || result.day > k_days_in_month[result.month - 1]) {
        return std::nullopt;
    }
    return result;
}

} // namespace pheu::common
