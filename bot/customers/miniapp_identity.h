#pragma once
// Who a Zalo Mini App shopper is, as Zalo says (docs/platforms.md, "Zalo Mini App"): the access
// token from the SDK's getAccessToken() is checked at <graph_base>/v2.0/me with an
// appsecret_proof (HMAC-SHA256 of the token keyed with the Mini App's app secret), and the
// one-time code of getPhoneNumber() is exchanged at <graph_base>/v2.0/me/info with the app
// secret, which never leaves the server. Verified tokens are cached for a bounded time, so a
// shopper's burst of events costs one Graph call. Thread-safe.
#include "bot/channels/http_transport.h"

#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>

namespace pheu::bot {

struct MiniAppShopper {
    std::string app_user_id; // app-scoped Zalo id
    std::string name;
    std::string avatar_url;
};

enum class GraphFailure {
    refused,     // Zalo refused the token or code: the client's problem (401 / 400)
    unavailable, // Zalo did not answer usefully: try again later (503)
};

struct GraphError {
    GraphFailure failure = GraphFailure::refused;
    std::string detail;
};

struct MiniAppIdentitySettings {
    std::string graph_base = "https://graph.zalo.me";
    std::string app_secret;
    std::int64_t cache_ms = 10LL * 60 * 1000; // how long a verified token is trusted
    std::size_t cache_entries = 10000;
};

class MiniAppIdentity {
public:
    MiniAppIdentity(MiniAppIdentitySettings settings, channels::HttpTransport& transport);

    std::variant<MiniAppShopper, GraphError> verify(const std::string& access_token, std::int64_t now_ms);
    // The shopper's phone in 84… form; the code is single-use, so it is never retried here.
    std::variant<std::string, GraphError> exchange_phone_code(const std::string& access_token, const std::string& code);

    // How many Graph calls verify() made (the cache's effect, for metrics and tests).
    std::int64_t graph_calls() const;

private:
    struct Cached {
        MiniAppShopper shopper;
        std::int64_t expires_at = 0;
        std::list<std::string>::iterator age;
    };

    MiniAppIdentitySettings m_settings;
    channels::HttpTransport& m_transport;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Cached> m_cache; // by SHA-256 of the token, never the token
    std::list<std::string> m_oldest_first;
    std::int64_t m_graph_calls = 0;
};

} // namespace pheu::bot
