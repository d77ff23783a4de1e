#include "handlers/admin/admin_common.h"

#include "common/crypto.h"
#include "common/time_format.h"
#include "handlers/http/json_error.h"
#include "store/audit_store.h"
#include "store/customer_queries.h"

#include <charconv>

namespace pheu::handlers {

using nlohmann::json;

HttpReply admin_unauthorised() {
    return json_error(401, "unauthorized",
                      "Sign in to the console, or send the admin token: Authorization: Bearer <admin_token>.");
}

HttpReply with_json_object_body(const HttpRequestView& request,
                                const std::function<HttpReply(const json& body)>& handle) {
    auto body = json_object_body(request);
    if (auto* reply = std::get_if<HttpReply>(&body)) {
        return *reply;
    }
    return handle(std::get<json>(body));
}

HttpReply ok_json(const json& body, int status) {
    return HttpReply{status, body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json", {}};
}

std::optional<std::int64_t> parse_positive(const std::string& text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || ptr != end || value < 0) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> customer_named(const HttpRequestView& request, store::sql::Connection& db) {
    const auto id = parse_positive(request.path_params.at(0));
    if (!id) {
        return std::nullopt;
    }
    const auto view = store::CustomerQueries(db).get(*id);
    return view ? std::optional<std::int64_t>(view->id) : std::nullopt;
}

std::variant<json, HttpReply> json_object_body(const HttpRequestView& request) {
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return json_error(400, "invalid_json", "The body must be a JSON object.");
    }
    return body;
}

json time_or_null(const std::optional<std::int64_t>& epoch_ms) {
    return epoch_ms ? json(common::format_rfc3339_utc(*epoch_ms)) : json(nullptr);
}

json text_or_null(const std::optional<std::string>& text) {
    return text ? json(*text) : json(nullptr);
}

std::string admin_actor(const std::string& admin_token) {
    return "admin:" + common::sha256_hex({admin_token}).substr(0, 8);
}

void audit(store::sql::Connection& db, const HttpRequestView& request, const std::string& action,
           const std::string& target, const json& detail, std::int64_t now_ms) {
    audit_as(db, request.actor, action, target, detail, now_ms);
}

void audit_as(store::sql::Connection& db, const std::string& actor, const std::string& action,
              const std::string& target, const json& detail, std::int64_t now_ms) {
    store::AuditStore(db).record(store::AuditEntry{0, now_ms, actor, action, target,
                                                   detail.dump(-1, ' ', false, json::error_handler_t::replace)});
}

std::optional<int> limit_param(const HttpRequestView& request, int fallback, int max) {
    const std::string text = request.query("limit");
    if (text.empty()) {
        return fallback;
    }
    const auto value = parse_positive(text);
    if (!value || *value < 1 || *value > max) {
        return std::nullopt;
    }
    return static_cast<int>(*value);
}

std::variant<std::optional<std::int64_t>, HttpReply> cursor_param(const HttpRequestView& request) {
    const std::string text = request.query("cursor");
    if (text.empty()) {
        return std::optional<std::int64_t>();
    }
    if (auto cursor = parse_positive(text)) {
        return cursor;
    }
    return json_error(400, "invalid_query", "cursor must be a next_cursor value from an earlier page.", "cursor");
}

} // namespace pheu::handlers
