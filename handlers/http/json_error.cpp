#include "handlers/http/json_error.h"

#include "common/crypto.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

using common::constant_time_equal;
using common::hmac_sha256_hex;
using common::sha256_hex;

namespace {

HttpReply reply_with(int status, const nlohmann::json& error) {
    HttpReply reply;
    reply.status = status;
    // Replace, not throw, on invalid UTF-8 echoed back from the input.
    reply.body = nlohmann::json{{"error", error}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return reply;
}

} // namespace

HttpReply json_error(int status, const std::string& code, const std::string& message, const std::string& path) {
    nlohmann::json error = {{"code", code}, {"message", message}};
    if (!path.empty()) {
        error["path"] = path;
    }
    return reply_with(status, error);
}

HttpReply json_error(int status, const common::InputError& input) {
    nlohmann::json error = {{"code", input.code}, {"message", input.message}};
    if (!input.path.empty()) {
        error["path"] = input.path;
    }
    if (input.line) {
        error["line"] = *input.line;
    }
    if (input.column) {
        error["column"] = *input.column;
    }
    return reply_with(status, error);
}

bool bearer_token_matches(const std::string& authorization_header, const std::string& expected) {
    constexpr std::string_view k_scheme = "Bearer ";
    if (expected.empty() || authorization_header.size() <= k_scheme.size()) {
        return false;
    }
    std::string_view header(authorization_header);
    for (std::size_t i = 0; i < k_scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(header[i])) !=
            std::tolower(static_cast<unsigned char>(k_scheme[i]))) {
            return false;
        }
    }
    return common::constant_time_equal(header.substr(k_scheme.size()), expected);
}

} // namespace pheu::handlers
