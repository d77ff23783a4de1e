#include "handlers/http/cookies.h"

#include "common/text_fold.h"

namespace pheu::handlers {

using common::trimmed;

std::optional<std::string> cookie_named(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const std::size_t end = header.find(';');
        const std::string pair = trimmed(header.substr(0, end));
        header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
        const std::size_t equals = pair.find('=');
        if (equals != std::string::npos && trimmed(std::string_view(pair).substr(0, equals)) == name) {
            std::string value = trimmed(std::string_view(pair).substr(equals + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            return std::string(value);
        }
    }
    return std::nullopt;
}

std::string server_only_cookie(std::string_view name, std::string_view value, long max_age_seconds) {
    return std::string(name) + "=" + std::string(value) + "; Path=/; Max-Age=" + std::to_string(max_age_seconds) +
           "; HttpOnly; Secure; SameSite=Strict";
}

} // namespace pheu::handlers
