#include "store/sql/database_target.h"

#include <string_view>

namespace pheu::store::sql {

namespace {

bool starts_with_scheme(const std::string& text) {
    for (const std::string_view scheme : {"postgresql://", "postgres://"}) {
        if (text.size() >= scheme.size() && std::string_view(text).substr(0, scheme.size()) == scheme) {
            return true;
        }
    }
    return false;
}

// user:password@host → user:***@host, in the authority part only (before the first '/',
// '?' or '#' after the scheme). The last '@' ends the user information: a password may
// hold '@' only percent-encoded, but a careless one is still hidden.
std::string without_userinfo_password(const std::string& url) {
    const std::size_t authority = url.find("://") + 3;
    std::size_t end = url.find_first_of("/?#", authority);
    if (end == std::string::npos) {
        end = url.size();
    }
    const std::size_t at = url.rfind('@', end == 0 ? 0 : end - 1);
    if (at == std::string::npos || at < authority) {
        return url;
    }
    const std::size_t colon = url.find(':', authority);
    if (colon == std::string::npos || colon > at) {
        return url;
    }
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

// …?password=secret&… → …?password=***&…
std::string without_password_parameter(std::string url) {
    const std::size_t query = url.find('?');
    if (query == std::string::npos) {
        return url;
    }
    std::size_t at = query + 1;
    while (at < url.size()) {
        std::size_t end = url.find('&', at);
        if (end == std::string::npos) {
            end = url.size();
        }
        constexpr std::string_view key = "password=";
        if (std::string_view(url).substr(at, key.size()) == key) {
            url.replace(at + key.size(), end - at - key.size(), "***");
            end = at + key.size() + 3;
        }
        at = end + 1;
    }
    return url;
}

} // namespace

DatabaseTarget database_target(const std::string& configured) {
    if (starts_with_scheme(configured)) {
        return {.backend = Backend::postgresql, .location = configured};
    }
    return {.backend = Backend::sqlite, .location = configured};
}

std::string redacted(const DatabaseTarget& target) {
    if (target.backend == Backend::sqlite) {
        return target.location;
    }
    return without_password_parameter(without_userinfo_password(target.location));
}

} // namespace pheu::store::sql
