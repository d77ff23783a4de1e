#pragma once
// The one error shape of every endpoint (README, "Endpoints"):
// {"error":{"code":"<snake_case>","message":"<sentence>","path":"<JSON pointer>"}}
#include "common/input_error.h"
#include "handlers/http/http_exchange.h"

#include <string>

namespace pheu::handlers {

HttpReply json_error(int status, const std::string& code, const std::string& message, const std::string& path = "");
// The same for what a parser of user input found, with its line and column when it has them.
HttpReply json_error(int status, const common::InputError& error);

// Whether an Authorization header carries exactly "Bearer <expected>" (constant time).
// An empty expected token matches nothing: an API with no token configured is closed.
bool bearer_token_matches(const std::string& authorization_header, const std::string& expected);

} // namespace pheu::handlers
