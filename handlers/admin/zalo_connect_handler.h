#pragma once
// Connecting a Zalo OA from the console, through Zalo's OAuth v4 for OAs with PKCE:
// - POST /api/v1/connections/zalo/{oa_id}/authorize answers the permission page's address,
//   with a fresh state and the challenge of a fresh code verifier, both kept ten minutes in
//   oauth_requests;
// - Zalo sends the browser back to GET /oauth/zalo/callback?code=…&oa_id=…&state=…, where
//   the state must be one pheu opened and has not used (it is spent at once), the OA the one
//   it was opened for; the code and the verifier are exchanged for the token pair, which is
//   stored (sealed when PHEU_MASTER_KEY is set) and used from then on.
// The callback answers by sending the browser back to the console's settings with the
// outcome: connected, state_invalid, other_oa, refused (no code: the admin said no) or
// code_refused (Zalo would not exchange it).
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pheu::bot::channels {
class ChannelDirectory;
}
namespace pheu::store {
class AdminWriter;
}

namespace pheu::handlers {

struct ZaloConnectSettings {
    std::string oauth_base;      // https://oauth.zaloapp.com
    std::string public_base_url; // where Zalo sends the browser back: <it>/oauth/zalo/callback
    std::vector<std::pair<std::string, std::string>> apps; // (OA id, app id) of each configured OA
};

// How long an authorisation may take, from the permission page to the callback.
inline constexpr std::int64_t k_oauth_request_ms = 10 * 60 * 1000;

class ZaloConnectHandler {
public:
    ZaloConnectHandler(ZaloConnectSettings settings, bot::channels::ChannelDirectory& channels,
                       store::AdminWriter& writer, std::function<std::int64_t()> clock,
                       std::function<void()> on_connected);

    // 200 {"url"}; 404 an OA not configured; 409 "public_base_url_missing".
    HttpReply authorize(const HttpRequestView& request) const;
    // 303 to /admin#/settings/zalo-<outcome>.
    HttpReply callback(const HttpRequestView& request) const;

private:
    ZaloConnectSettings m_settings;
    bot::channels::ChannelDirectory& m_channels;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
    std::function<void()> m_on_connected;
};

} // namespace pheu::handlers
