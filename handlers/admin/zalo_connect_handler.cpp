#include "handlers/admin/zalo_connect_handler.h"

#include "bot/channels/channel_directory.h"
#include "bot/channels/zalo_tokens.h"
#include "common/crypto.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/oauth_request_store.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace pheu::handlers {

using nlohmann::json;

namespace {

constexpr const char* k_callback_path = "/oauth/zalo/callback";

// Back to the console's settings, which say how it went.
HttpReply back_to_console(const std::string& outcome) {
    HttpReply reply{
        .status = 303, .body = json{{"outcome", outcome}}.dump(), .content_type = "application/json", .headers = {}};
    reply.headers.emplace_back("Location", "/admin#/settings/zalo-" + outcome);
    return reply;
}

} // namespace

ZaloConnectHandler::ZaloConnectHandler(ZaloConnectSettings settings, bot::channels::ChannelDirectory& channels,
                                       store::AdminWriter& writer, std::function<std::int64_t()> clock,
                                       std::function<void()> on_connected)
    : m_settings(std::move(settings)), m_channels(channels), m_writer(writer), m_clock(std::move(clock)),
      m_on_connected(std::move(on_connected)) {}

HttpReply ZaloConnectHandler::authorize(const HttpRequestView& request) const {
    const std::string& oa_id = request.path_params.at(0);
    const auto app = std::find_if(m_settings.apps.begin(), m_settings.apps.end(),
                                  [&](const auto& entry) { return entry.first == oa_id; });
    if (app == m_settings.apps.end()) {
        return json_error(404, "not_found", "No Zalo OA with this id is in the configuration.");
    }
    if (m_settings.public_base_url.empty()) {
        return json_error(409, "public_base_url_missing",
                          "Set public_base_url in the configuration (the https address Zalo can send the browser "
                          "back to), and save that address plus " +
                              std::string(k_callback_path) + " as the app's callback in Zalo's developer console.");
    }
    const std::string state = common::random_hex(32);
    const std::string verifier = common::random_hex(32); // 64 characters, as PKCE allows
    const std::int64_t now = m_clock();
    m_writer.write([&](store::sql::Connection& db) {
        store::OAuthRequestStore(db).open(
            common::sha256_hex({state}),
            store::OAuthRequest{
                .channel = "zalo", .account_id = oa_id, .code_verifier = verifier, .actor = request.actor},
            now, now + k_oauth_request_ms);
    });
    // The configuration reader has taken any trailing '/' off public_base_url.
    const std::string redirect_uri = m_settings.public_base_url + k_callback_path;
    return ok_json({{"url", bot::channels::zalo_permission_url(m_settings.oauth_base, app->second, redirect_uri,
                                                               common::pkce_s256_challenge(verifier), state)},
                    {"redirect_uri", redirect_uri}});
}

HttpReply ZaloConnectHandler::callback(const HttpRequestView& request) const {
    const std::string state = request.query("state");
    const std::int64_t now = m_clock();
    const auto opened = state.empty() ? std::nullopt : m_writer.write([&](store::sql::Connection& db) {
        return store::OAuthRequestStore(db).take(common::sha256_hex({state}), now);
    });
    if (!opened || opened->channel != "zalo") {
        spdlog::warn("zalo: an OAuth callback came back with a state pheu did not open, or used already");
        return back_to_console("state_invalid");
    }
    const std::string code = request.query("code");
    const std::string returned_oa = request.query("oa_id");
    std::string outcome = "connected";
    std::string problem;
    if (code.empty()) {
        outcome = "refused";
    } else if (!returned_oa.empty() && returned_oa != opened->account_id) {
        outcome = "other_oa";
        problem = "the admin granted access to OA " + returned_oa;
    } else if (auto refused = m_channels.connect_zalo(opened->account_id, code, opened->code_verifier, now)) {
        outcome = "code_refused";
        problem = *refused;
    }
    m_writer.write([&](store::sql::Connection& db) {
        json detail{{"outcome", outcome}};
        if (!problem.empty()) {
            detail["problem"] = problem;
        }
        audit_as(db, opened->actor, "connection.zalo", opened->account_id, detail, now);
    });
    if (outcome == "connected" && m_on_connected) {
        m_on_connected();
    }
    return back_to_console(outcome);
}

} // namespace pheu::handlers
