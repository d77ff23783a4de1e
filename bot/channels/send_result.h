#pragma once
// What one platform call did, in the platform-neutral terms the dispatcher decides on.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::bot::channels {

enum class SendOutcome {
    sent,            // the platform accepted it (platform_message_id when it gave one)
    not_sent,        // nothing reached the platform (connection failed): safe to retry
    outcome_unknown, // the request went out and no answer came back
    rate_limited,    // the platform asked us to slow down (retry later)
    server_error,    // the platform failed (HTTP 5xx): retry later
    auth_expired,    // the access token expired or was revoked: refresh and retry once
    account_stopped, // the account's credentials are refused for good: stop sending for it
    window_closed,   // the customer cannot be messaged this way now (7-day, 24-hour window…)
    night_blocked,   // Zalo refuses promotions 22:00–06:00: send in the morning
    not_allowed,     // pheu itself refuses (a promotion outside Messenger's window)
    permanent,       // the platform refused this message: retrying will not help
};

const char* send_outcome_id(SendOutcome outcome);

// Built with designated initialisers; every member has a default, so a result names only
// what it knows.
struct SendResult {
    SendOutcome outcome = SendOutcome::sent;
    std::string platform_code = {}; // "-230", "190", "http_503"…
    std::string detail = {};        // the platform's message, or the library's error
    std::string platform_message_id = {};
    std::string via = {}; // cs | template | zns | tag | profile | response | message_tag | sandbox
    std::optional<std::int64_t> retry_after_ms = {};
    nlohmann::json data = nlohmann::json::object(); // what a read returned (user detail)
};

} // namespace pheu::bot::channels
