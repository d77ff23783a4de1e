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
#include <string>

namespace pheu::bot {
class Metrics;
}

namespace pheu::bot::channels {

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
    // Proactive work between batches: Zalo tokens refreshed before they expire.
    void maintain(std::int64_t now_ms);

private:
    bool m_sandbox;
    std::unique_ptr<Channel> m_sandbox_channel;
    std::map<std::string, std::unique_ptr<ZaloTokens>> m_zalo_tokens;
    std::map<std::string, std::unique_ptr<Channel>> m_channels; // by ChannelHealth::key
};

} // namespace pheu::bot::channels
