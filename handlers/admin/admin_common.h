#pragma once
// Pieces every admin API handler shares: JSON bodies and replies, id parsing, the audit log.
// Who may call an admin route is decided before the handler runs (admin_access.h).
#include "handlers/http/http_exchange.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace pheu::store::sql {
class Connection;
}
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace pheu::handlers {

// 401: sign in, or send the admin token.
HttpReply admin_unauthorised();
// `handle(body)` for a request whose body is a JSON object, else 400.
HttpReply with_json_object_body(const HttpRequestView& request,
                                const std::function<HttpReply(const nlohmann::json& body)>& handle);
// 200 (or `status`) with the JSON body; invalid UTF-8 in stored text is replaced, not thrown.
HttpReply ok_json(const nlohmann::json& body, int status = 200);
// A non-negative decimal integer, nothing else.
std::optional<std::int64_t> parse_positive(const std::string& text);
// The request body as a JSON object, or the 400 reply explaining why not.
std::variant<nlohmann::json, HttpReply> json_object_body(const HttpRequestView& request);

// The customer the path's first parameter names, following merges to the one kept; nullopt
// for an id no customer has.
std::optional<std::int64_t> customer_named(const HttpRequestView& request, store::sql::Connection& db);

// RFC 3339 text, or null.
nlohmann::json time_or_null(const std::optional<std::int64_t>& epoch_ms);
nlohmann::json text_or_null(const std::optional<std::string>& text);

// Who makes admin changes: "admin:" and the first 8 hex digits of the token's SHA-256, so
// the audit log tells tokens apart without holding one.
std::string admin_actor(const std::string& admin_token);
// Writes one change to the audit log, inside the caller's write transaction, naming who the
// admin route let `request` in as.
void audit(store::sql::Connection& db, const HttpRequestView& request, const std::string& action,
           const std::string& target, const nlohmann::json& detail, std::int64_t now_ms);
// The same for an actor named otherwise: a sign-in, or an OAuth callback that acts for
// whoever started it.
void audit_as(store::sql::Connection& db, const std::string& actor, const std::string& action,
              const std::string& target, const nlohmann::json& detail, std::int64_t now_ms);
// The `limit` query parameter: `fallback` when absent, nullopt when not a number in 1..max.
std::optional<int> limit_param(const HttpRequestView& request, int fallback, int max);
// The `cursor` query parameter (a next_cursor from an earlier page): nullopt when absent,
// the 400 reply when it is not one.
std::variant<std::optional<std::int64_t>, HttpReply> cursor_param(const HttpRequestView& request);
// For rows read with one more than `limit`: keeps `limit` of them and returns the next page's
// cursor (the last row's id), or null when this is the last page.
template <typename Row> nlohmann::json next_page_cursor(std::vector<Row>& rows, int limit) {
    if (rows.size() <= static_cast<std::size_t>(limit)) {
        return nullptr;
    }
    rows.resize(static_cast<std::size_t>(limit));
    return std::to_string(rows.back().id);
}

} // namespace pheu::handlers
