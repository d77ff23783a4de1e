#include "bot/channels/channel_health.h"

#include <spdlog/spdlog.h>

namespace pheu::bot::channels {

std::string ChannelHealth::key(const std::string& channel, const std::string& account_id) {
    return channel + ":" + account_id;
}

void ChannelHealth::track(const std::string& key) {
    std::lock_guard lock(m_mutex);
    m_accounts.try_emplace(key);
}

void ChannelHealth::stop(const std::string& key, const std::string& reason, std::int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    AccountHealth& account = m_accounts[key];
    if (!account.stopped) {
        // A person must act: error level, once.
        spdlog::error("delivery: {} stopped: {}", key, reason);
        account = AccountHealth{.stopped = true, .reason = reason, .since_ms = now_ms};
    }
}

void ChannelHealth::resume(const std::string& key) {
    std::lock_guard lock(m_mutex);
    AccountHealth& account = m_accounts[key];
    if (account.stopped) {
        spdlog::info("delivery: {} works again", key);
    }
    account = AccountHealth{};
}

bool ChannelHealth::stopped(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    auto found = m_accounts.find(key);
    return found != m_accounts.end() && found->second.stopped;
}

std::vector<std::string> ChannelHealth::stopped_accounts() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> keys;
    for (const auto& [key, account] : m_accounts) {
        if (account.stopped) {
            keys.push_back(key);
        }
    }
    return keys;
}

std::map<std::string, AccountHealth> ChannelHealth::snapshot() const {
    std::lock_guard lock(m_mutex);
    return m_accounts;
}

} // namespace pheu::bot::channels
