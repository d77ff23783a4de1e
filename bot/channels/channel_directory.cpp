#include "bot/channels/channel_directory.h"

#include "bot/channels/messenger_channel.h"
#include "bot/channels/sandbox_channel.h"
#include "bot/channels/zalo_oa_channel.h"
#include "bot/metrics.h"

namespace pheu::bot::channels {

namespace {

const char* refresh_outcome_id(RefreshOutcome outcome) {
    switch (outcome) {
    case RefreshOutcome::refreshed:
        return "refreshed";
    case RefreshOutcome::transient_failure:
        return "transient_failure";
    case RefreshOutcome::refused:
        return "refused";
    }
    return "unknown";
}

} // namespace

ChannelDirectory::ChannelDirectory(const Config& config, HttpTransport& transport, TokenVault& vault,
                                   ChannelHealth& health, Metrics* metrics, std::int64_t now_ms)
    : m_sandbox(config.transport == Transport::sandbox), m_sandbox_channel(std::make_unique<SandboxChannel>()) {
    if (m_sandbox) {
        return;
    }
    const ZaloEndpoints endpoints{config.zalo_api_base, config.zalo_zns_base};
    for (const auto& account : config.zalo_accounts) {
        ZaloTokenSettings settings{config.zalo_oauth_base, account.oa_id,        account.app_id,
                                   account.app_secret,     account.access_token, account.refresh_token};
        auto observer = [metrics](RefreshOutcome outcome) {
            if (metrics != nullptr) {
                metrics->token_refresh(refresh_outcome_id(outcome));
            }
        };
        auto tokens = std::make_unique<ZaloTokens>(std::move(settings), transport, vault, health, now_ms, observer);
        m_channels[ChannelHealth::key("zalo", account.oa_id)] =
            std::make_unique<ZaloOaChannel>(endpoints, transport, *tokens);
        m_zalo_tokens[account.oa_id] = std::move(tokens);
    }
    for (const auto& page : config.messenger_pages) {
        const std::string key = ChannelHealth::key("messenger", page.page_id);
        health.track(key);
        m_channels[key] = std::make_unique<MessengerChannel>(MessengerPageAccess{config.messenger_graph_base,
                                                                                 config.messenger_graph_version,
                                                                                 page.page_id, page.page_access_token},
                                                             transport);
    }
}

ChannelDirectory::~ChannelDirectory() = default;

ChannelDirectory::Found ChannelDirectory::find(const std::string& channel, const std::string& account_id) {
    const std::string key = ChannelHealth::key(channel, account_id);
    if (m_sandbox) {
        return {m_sandbox_channel.get(), key};
    }
    auto found = m_channels.find(key);
    if (found != m_channels.end()) {
        return {found->second.get(), key};
    }
    // The shop's own events name a Zalo user or PSID without the account: with one account
    // on that channel, it is that one.
    Found only{nullptr, key};
    if (!account_id.empty()) {
        return only;
    }
    const std::string prefix = channel + ":";
    for (const auto& [candidate_key, candidate] : m_channels) {
        if (candidate_key.rfind(prefix, 0) == 0) {
            if (only.channel != nullptr) {
                return {nullptr, key};
            }
            only = {candidate.get(), candidate_key};
        }
    }
    return only;
}

void ChannelDirectory::maintain(std::int64_t now_ms) {
    for (auto& [oa_id, tokens] : m_zalo_tokens) {
        tokens->refresh_if_due(now_ms);
    }
}

} // namespace pheu::bot::channels
