#pragma once
// One Zalo OA's access token. Zalo's access tokens last about 25 hours and its refresh
// tokens are single-use and rotate (docs/platforms.md, "Sending"), so:
// - the pair is read from the database at start; the configured pair is used only the
//   first time, or when the configuration holds a new pair (the shop authorised again);
// - an OA with no pair at all waits, stopped, until it is connected from the console (an
//   OAuth code exchanged by connect());
// - a refresh happens about 20 hours after the last one, and at once when a call fails
//   with -216/-220; the new pair is committed to the database before it is used;
// - only one refresh runs at a time, across every pheu instance on the database (the pair is
//   locked while Zalo is asked: TokenVault::rotate), and a send that failed on an old token
//   after someone else refreshed simply retries with the new one: 50 sends failing together,
//   on any number of instances, cost one refresh.
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

// The page where the OA's admin grants the app access (OAuth v4 for OAs, with PKCE): Zalo
// then sends the browser to `redirect_uri` with `code`, `oa_id` and the same `state`. Pure.
std::string zalo_permission_url(const std::string& oauth_base, const std::string& app_id,
                                const std::string& redirect_uri, const std::string& code_challenge,
                                const std::string& state);

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
    // Exchanges an OAuth authorisation code (and its PKCE verifier) for a new pair, which is
    // committed and used from now on, the OA working again; nullopt then, else what Zalo said.
    std::optional<std::string> connect(const std::string& code, const std::string& code_verifier, std::int64_t now_ms);
    // While the OA is stopped: adopts the pair stored since by another pheu instance on the
    // database (the OA connected again from the console that instance served), and the OA
    // works again here too; true then. Without it this instance kept the OA stopped, and its
    // messages waiting, until it restarted.
    bool adopt_pair_connected_elsewhere();

    const std::string& oa_id() const { return m_settings.oa_id; }

private:
    // What Zalo answered a request at its token endpoint: the pair (its refresh_due_at still
    // the lifetime, not a moment), or the outcome and why not.
    struct PairAnswer {
        std::optional<store::StoredToken> pair;
        RefreshOutcome outcome = RefreshOutcome::refused;
        std::string detail;
    };
    PairAnswer request_pair(const std::string& form) const; // m_mutex held
    void adopt_locked(store::StoredToken pair, std::int64_t now_ms);
    // When a pair Zalo just answered is to be refreshed, from its lifetime.
    static std::int64_t due_moment(const store::StoredToken& answered, std::int64_t now_ms);
    // Refreshes the pair under its lock across instances; refused at once, asking Zalo
    // nothing, while the OA is stopped. m_mutex held.
    RefreshOutcome refresh_locked(std::int64_t now_ms);

    ZaloTokenSettings m_settings;
    HttpTransport& m_transport;
    TokenVault& m_vault;
    ChannelHealth& m_health;
    RefreshObserver m_observer;
    mutable std::mutex m_mutex;
    store::StoredToken m_token;
};

} // namespace pheu::bot::channels
