#include "app/demo_event.h"

#include "handlers/ingress/zalo_signature.h"

#include <nlohmann/json.hpp>

namespace pheu::app {

// The program wires the rooms below it and speaks their words.
using namespace bot;

DemoRequest make_demo_zalo_event(const ZaloAccount& account, const std::string& user_id, const std::string& text,
                                 std::int64_t now_ms) {
    const std::string timestamp = std::to_string(now_ms);
    const nlohmann::json body = {
        {"app_id", account.app_id},
        {"sender", {{"id", user_id}}},
        {"recipient", {{"id", account.oa_id}}},
        {"event_name", "user_send_text"},
        {"message", {{"text", text}, {"msg_id", "demo-" + timestamp}}},
        {"timestamp", timestamp},
    };
    DemoRequest request;
    request.body = body.dump();
    request.signature = "mac=" + handlers::zalo_mac(account.app_id, request.body, timestamp, account.oa_secret_key);
    return request;
}

namespace {
// Single-quotes a value for a POSIX shell.
std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    return quoted + "'";
}
} // namespace

std::string demo_curl_command(const Config& config, const DemoRequest& request) {
    const std::string host = config.host == "0.0.0.0" ? "127.0.0.1" : config.host;
    return "curl -sS -X POST " + shell_quote("http://" + host + ":" + std::to_string(config.port) + "/webhooks/zalo") +
           " -H 'Content-Type: application/json' -H " + shell_quote("X-ZEvent-Signature: " + request.signature) +
           " --data-binary " + shell_quote(request.body);
}

} // namespace pheu::app
