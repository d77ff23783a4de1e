#pragma once
// Reading a Cookie request header and writing a Set-Cookie one (RFC 6265). Pure.
#include <optional>
#include <string>
#include <string_view>

namespace pheu::handlers {

// The value of the cookie `name` in a Cookie header ("a=1; b=2"), or nullopt.
std::optional<std::string> cookie_named(std::string_view header, std::string_view name);

// A Set-Cookie value for a cookie only the server reads: HttpOnly (no script sees it),
// Secure (HTTPS only; browsers treat http://localhost as secure), SameSite=Strict (no other
// site's page sends it), for the whole site, kept `max_age_seconds` (0 deletes it).
std::string server_only_cookie(std::string_view name, std::string_view value, long max_age_seconds);

} // namespace pheu::handlers
