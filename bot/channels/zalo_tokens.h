#pragma once
// One Zalo OA's access token. Zalo's access tokens last about 25 hours and its refresh
// tokens are single-use and rotate (docs/platforms.md, "Sending"), so:
// - the pair is read from the database at start; the configured pair is used only the
//   first time, or when the configuration holds a new pair (the shop authorised again);
// - a refresh happens about 20 hours after the last one, and at once when a call fails
//   with -216/-220; the new pair is committed to the database before it is used;
// - only one refresh runs at a time, and a send that failed on an old token after someone
//   else refreshed simply retries with the new one: 50 sends failing together cost one
//   refresh.
#include "bot/channels/channel_health.h"
#include "bot/channels/http_transport.h"
#include "bot/channels/token_vault.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace pheu::bot::channels {

struct ZaloTokenSettings {
    std::string oauth_base;
    std::string oa_id;
    std::string app_id;
    std::string app_secret;
    std::string access_token; // the configured first pair
    std::string refresh_token;
};

// Refresh this long after a refresh (Zalo's tokens last 25 h).
inline constexpr std::int64_t k_zalo_refresh_after_ms = 20LL * 3600 * 1000;

enum class RefreshOutcome { refreshed, transient_failure, refused };

class ZaloTokens {
public:
    using RefreshObserver = std::function<void(RefreshOutcome)>;

    ZaloTokens(ZaloTokenSettings settings, HttpTransport& transport, TokenVault& vault, ChannelHealth& health,
               std::int64_t now_ms, RefreshObserver observer = {});

    std::string current() const;
    // After a call with `used` failed as expired: the token to retry with, refreshing it
    // unless another thread already has. nullopt when no token can be had now.
    std::optional<std::string> refresh_after_failure(const std::string& used, std::int64_t now_ms);
    // Refreshes when the proactive moment has come; true when a refresh happened.
    bool refresh_if_due(std::int64_t now_ms);

    const std::string& oa_id() const { return m_settings.oa_id; }

private:
    RefreshOutcome refresh_locked(std::int64_t now_ms); // m_mutex held

    ZaloTokenSettings m_settings;
    HttpTransport& m_transport;
    TokenVault& m_vault;
    ChannelHealth& m_health;
    RefreshObserver m_observer;
    mutable std::mutex m_mutex;
    store::StoredToken m_token;
};

} // namespace pheu::bot::channels
