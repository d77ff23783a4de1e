#pragma once
// Pieces every admin API handler shares: the bearer check's answer, JSON replies, id parsing.
#include "handlers/http_exchange.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace SQLite {
class Database;
}
#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace pheu::handlers {

// 401 with the admin token hint.
HttpReply admin_unauthorised();
// `handle()` for a request bearing the admin token, else 401.
HttpReply admin_only(const HttpRequestView& request, const std::string& admin_token,
                     const std::function<HttpReply()>& handle);
// As admin_only, for requests whose body must be a JSON object (else 400).
HttpReply admin_json(const HttpRequestView& request, const std::string& admin_token,
                     const std::function<HttpReply(const nlohmann::json& body)>& handle);
// 200 (or `status`) with the JSON body; invalid UTF-8 in stored text is replaced, not thrown.
HttpReply ok_json(const nlohmann::json& body, int status = 200);
// A non-negative decimal integer, nothing else.
std::optional<std::int64_t> parse_positive(const std::string& text);
// The request body as a JSON object, or the 400 reply explaining why not.
std::variant<nlohmann::json, HttpReply> json_object_body(const HttpRequestView& request);

// RFC 3339 text, or null.
nlohmann::json time_or_null(const std::optional<std::int64_t>& epoch_ms);
nlohmann::json text_or_null(const std::optional<std::string>& text);

// Who makes admin changes: "admin:" and the first 8 hex digits of the token's SHA-256, so
// the audit log tells tokens apart without holding one.
std::string admin_actor(const std::string& admin_token);
// Writes one change to the audit log, inside the caller's write transaction.
void audit(SQLite::Database& db, const std::string& admin_token, const std::string& action, const std::string& target,
           const nlohmann::json& detail, std::int64_t now_ms);
// The `limit` query parameter: `fallback` when absent, nullopt when not a number in 1..max.
std::optional<int> limit_param(const HttpRequestView& request, int fallback, int max);

} // namespace pheu::handlers
