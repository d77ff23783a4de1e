#pragma once
// `pheu sign-demo`: a correctly signed Zalo event for the configured server, as a curl command.
#include "bot/config.h"

#include <cstdint>
#include <string>

namespace pheu::app {

struct DemoRequest {
    std::string body;
    std::string signature; // the X-ZEvent-Signature value
};

// A user_send_text event from `user_id` to the first Zalo account, signed with its key.
DemoRequest make_demo_zalo_event(const bot::ZaloAccount& account, const std::string& user_id, const std::string& text,
                                 std::int64_t now_ms);

// A shell command that POSTs the event to the server the configuration describes.
std::string demo_curl_command(const bot::Config& config, const DemoRequest& request);

} // namespace pheu::app
