#include "common/phone.h"

namespace pheu::common {

namespace {
// After the country code: 9 digits for mobile and current landline numbers, 10 for the
// older landline plan that some shops still have on file.
constexpr std::size_t k_min_subscriber_digits = 9;
constexpr std::size_t k_max_subscriber_digits = 10;
} // namespace

std::optional<std::string> normalise_phone(std::string_view input) {
    std::string digits;
    bool plus_seen = false;
    for (char c : input) {
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c == '+' && digits.empty() && !plus_seen) {
            plus_seen = true;
        } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    std::string subscriber;
    if (!plus_seen && digits.size() > 1 && digits[0] == '0') {
        subscriber = digits.substr(1);
    } else if (digits.rfind("84", 0) == 0) {
        subscriber = digits.substr(2);
    } else {
        return std::nullopt;
    }
    if (subscriber.size() < k_min_subscriber_digits || subscriber.size() > k_max_subscriber_digits ||
        subscriber[0] == '0') {
        return std::nullopt;
    }
    return "84" + subscriber;
}

} // namespace pheu::common
