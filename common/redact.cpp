#include "common/redact.h"

namespace pheu::common {

std::string redact_phone(std::string_view phone) {
    constexpr std::size_t k_keep_front = 5;
    constexpr std::size_t k_keep_back = 3;
    if (phone.size() <= k_keep_front + k_keep_back) {
        return std::string(phone.size(), '*');
    }
    return std::string(phone.substr(0, k_keep_front)) + "***" + std::string(phone.substr(phone.size() - k_keep_back));
}

std::string redact_secret(std::string_view secret) {
    return secret.empty() ? "(not set)" : "(set, hidden)";
}

} // namespace pheu::common
