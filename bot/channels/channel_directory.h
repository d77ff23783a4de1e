#pragma once
// Which Channel delivers for an account, built once from the configuration: under the
// live transport a Zalo OA client per OA (with its token manager) and a Messenger client per
// page; under sandbox, the sandbox transport for every account.
#include "bot/channels/channel.h"
#include "bot/channels/channel_health.h"
#include "bot/channels/http_transport.h"
#include "bot/channels/token_vault.h"
#include "bot/channels/zalo_tokens.h"
#include "bot/config.h"

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace pheu::bot {
class Metrics;
}

namespace pheu::bot::channels {

class MessengerChannel;

class ChannelDirectory {
public:
    // `transport` and `vault` are used only under the live transport and must outlive this.
    ChannelDirectory(const Config& config, HttpTransport& transport, TokenVault& vault, ChannelHealth& health,
                     Metrics* metrics, std::int64_t now_ms);
    ~ChannelDirectory();

    struct Found {
        Channel* channel = nullptr; // nullptr when no such account is configured
        std::string key;            // the account's ChannelHealth key
    };
    Found find(const std::string& channel, const std::string& account_id);
    // Proactive work between batches: Zalo tokens refreshed before they expire, and, every
    // few seconds, a stopped account given the credentials another pheu instance on the same
    // database stored for it since (the account connected again from its console).
    void maintain(std::int64_t now_ms);
    // Connects a configured OA with an OAuth authorisation code (ZaloTokens::connect):
    // nullopt when it works now, else why not.
    std::optional<std::string> connect_zalo(const std::string& oa_id, const std::string& code,
                                            const std::string& code_verifier, std::int64_t now_ms);
    // Connects a configured page with a page access token, once the Graph API says it is
    // that page's: stored, used from now on, the page working again. nullopt then.
    struct PageRefusal {
        std::string code; // not_found, token_refused, token_for_other_page, graph_unreachable
        std::string message;
    };
    std::optional<PageRefusal> connect_messenger(const std::string& page_id, const std::string& page_access_token,
                                                 std::int64_t now_ms);

private:
    struct PageConnection {
        MessengerChannel* channel = nullptr;
        std::string app_secret;  // for the appsecret_proof of the Graph call
        std::string seeded_from; // SHA-256 of the configured token
    };

    // A stopped account's look at the vault is a database read: this often at most.
    static constexpr std::int64_t k_reconnection_look_every_ms = 5000;
    void adopt_credentials_connected_elsewhere();

    bool m_sandbox;
    std::int64_t m_next_reconnection_look_ms = 0;
    std::string m_graph_base;
    std::string m_graph_version;
    HttpTransport& m_transport;
    TokenVault& m_vault;
    ChannelHealth& m_health;
    std::map<std::string, PageConnection> m_pages; // by page id
    std::unique_ptr<Channel> m_sandbox_channel;
    std::map<std::string, std::unique_ptr<ZaloTokens>> m_zalo_tokens;
    std::map<std::string, std::unique_ptr<Channel>> m_channels; // by ChannelHealth::key
};

} // namespace pheu::bot::channels
