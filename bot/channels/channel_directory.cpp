#include "bot/channels/channel_directory.h"

#include "bot/channels/messenger_channel.h"
#include "bot/channels/sandbox_channel.h"
#include "bot/channels/zalo_oa_channel.h"
#include "bot/metrics.h"
#include "common/crypto.h"

#include <spdlog/spdlog.h>

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
    : m_sandbox(config.transport == Transport::sandbox), m_graph_base(config.messenger_graph_base),
      m_graph_version(config.messenger_graph_version), m_transport(transport), m_vault(vault), m_health(health),
      m_sandbox_channel(std::make_unique<SandboxChannel>()) {
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
        // A token connected from the console wins until the configuration holds a new one.
        const std::string seeded_from = common::sha256_hex({page.page_access_token});
        const auto stored = vault.load("messenger", page.page_id);
        const bool use_stored = stored && (page.page_access_token.empty() || stored->seeded_from == seeded_from);
        const std::string token = use_stored ? stored->access_token : page.page_access_token;
        if (token.empty()) {
            health.stop(key, "not connected yet: connect the page from the console (Cài đặt, Kết nối nền tảng)",
                        now_ms);
        }
        auto channel = std::make_unique<MessengerChannel>(
            MessengerPageAccess{config.messenger_graph_base, config.messenger_graph_version, page.page_id, token},
            transport);
        m_pages[page.page_id] = PageConnection{channel.get(), page.app_secret, seeded_from};
        m_channels[key] = std::move(channel);
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

std::optional<std::string> ChannelDirectory::connect_zalo(const std::string& oa_id, const std::string& code,
                                                          const std::string& code_verifier, std::int64_t now_ms) {
    auto found = m_zalo_tokens.find(oa_id);
    if (found == m_zalo_tokens.end()) {
        return m_sandbox ? "the sandbox transport sends nothing to Zalo: nothing to connect"
                         : "OA " + oa_id + " is not in the configuration";
    }
    return found->second->connect(code, code_verifier, now_ms);
}

std::optional<ChannelDirectory::PageRefusal> ChannelDirectory::connect_messenger(const std::string& page_id,
                                                                                 const std::string& page_access_token,
                                                                                 std::int64_t now_ms) {
    auto found = m_pages.find(page_id);
    if (found == m_pages.end()) {
        return PageRefusal{"not_found", m_sandbox ? "the sandbox transport sends nothing to Messenger"
                                                  : "page " + page_id + " is not in the configuration"};
    }
    HttpCall call;
    call.method = "GET";
    call.url = m_graph_base + "/" + m_graph_version +
               "/me?fields=id,name&access_token=" + url_encode(page_access_token) +
               "&appsecret_proof=" + common::hmac_sha256_hex(found->second.app_secret, page_access_token);
    const MessengerTokenOwner owner = read_token_owner(m_transport.send(call));
    if (!owner.problem.empty()) {
        return owner.reached ? PageRefusal{"token_refused", "Facebook did not accept the token: " + owner.problem}
                             : PageRefusal{"graph_unreachable", owner.problem};
    }
    if (owner.page_id != page_id) {
        return PageRefusal{"token_for_other_page", "This token is for page " + owner.page_id + " (" + owner.page_name +
                                                       "), not page " + page_id + "."};
    }
    m_vault.save("messenger", page_id,
                 store::StoredToken{page_access_token, "", std::nullopt, found->second.seeded_from}, now_ms);
    found->second.channel->replace_access_token(page_access_token);
    m_health.resume(ChannelHealth::key("messenger", page_id));
    return std::nullopt;
}

void ChannelDirectory::maintain(std::int64_t now_ms) {
    if (now_ms >= m_next_reconnection_look_ms) {
        m_next_reconnection_look_ms = now_ms + k_reconnection_look_every_ms;
        adopt_credentials_connected_elsewhere();
    }
    for (auto& [oa_id, tokens] : m_zalo_tokens) {
        tokens->refresh_if_due(now_ms);
    }
}

void ChannelDirectory::adopt_credentials_connected_elsewhere() {
    for (auto& [oa_id, tokens] : m_zalo_tokens) {
        tokens->adopt_pair_connected_elsewhere();
    }
    for (auto& [page_id, page] : m_pages) {
        const std::string key = ChannelHealth::key("messenger", page_id);
        if (!m_health.stopped(key)) {
            continue;
        }
        const auto stored = m_vault.load("messenger", page_id);
        // The token this instance holds is the one refused (or none). One stored from another
        // configured token is not this page's: the configuration's token wins over it.
        if (!stored || stored->access_token.empty() || stored->access_token == page.channel->access_token() ||
            stored->seeded_from != page.seeded_from) {
            continue;
        }
        page.channel->replace_access_token(stored->access_token);
        m_health.resume(key);
        spdlog::info("messenger: page {} was connected again on another pheu instance; using its token", page_id);
    }
}

} // namespace pheu::bot::channels
