#include "handlers/admin_common.h"

#include "handlers/json_error.h"

#include <charconv>

namespace pheu::handlers {

using nlohmann::json;

HttpReply admin_unauthorised() {
    return json_error(401, "unauthorized", "A valid admin token is required: Authorization: Bearer <admin_token>.");
}

HttpReply admin_only(const HttpRequestView& request, const std::string& admin_token,
                     const std::function<HttpReply()>& handle) {
    if (!bearer_token_matches(request.header("Authorization"), admin_token)) {
        return admin_unauthorised();
    }
    return handle();
}

HttpReply admin_json(const HttpRequestView& request, const std::string& admin_token,
                     const std::function<HttpReply(const json& body)>& handle) {
    return admin_only(request, admin_token, [&] {
        auto body = json_object_body(request);
        if (auto* reply = std::get_if<HttpReply>(&body)) {
            return *reply;
        }
        return handle(std::get<json>(body));
    });
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

std::variant<json, HttpReply> json_object_body(const HttpRequestView& request) {
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return json_error(400, "invalid_json", "The body must be a JSON object.");
    }
    return body;
}

} // namespace pheu::handlers
