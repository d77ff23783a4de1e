#pragma once
// Pieces every admin API handler shares: the bearer check's answer, JSON replies, id parsing.
#include "handlers/http_exchange.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace pheu::handlers {

// 401 with the admin token hint.
HttpReply admin_unauthorised();
// 200 (or `status`) with the JSON body; invalid UTF-8 in stored text is replaced, not thrown.
HttpReply ok_json(const nlohmann::json& body, int status = 200);
// A non-negative decimal integer, nothing else.
std::optional<std::int64_t> parse_positive(const std::string& text);
// The request body as a JSON object, or the 400 reply explaining why not.
std::variant<nlohmann::json, HttpReply> json_object_body(const HttpRequestView& request);

} // namespace pheu::handlers
