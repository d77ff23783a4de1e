#pragma once
// Which outbound accounts are working: an account whose credentials the platform refused
// for good (Messenger code 190, a Zalo refresh token that no longer works) is stopped, its
// messages wait, and /healthz and /metrics show it until a person fixes the credentials:
// connects the account again from the console, or puts new ones in the configuration and
// restarts pheu. Thread-safe.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace pheu::bot::channels {

struct AccountHealth {
    bool stopped = false;
    std::string reason{};
    std::int64_t since_ms = 0;
};

class ChannelHealth {
public:
    // Keys are "<channel>:<account id>", e.g. "zalo:1234", "messenger:5678".
    static std::string key(const std::string& channel, const std::string& account_id);

    void track(const std::string& key); // an account that is configured and working
    void stop(const std::string& key, const std::string& reason, std::int64_t now_ms);
    void resume(const std::string& key); // credentials that work again
    bool stopped(const std::string& key) const;
    std::vector<std::string> stopped_accounts() const;
    std::map<std::string, AccountHealth> snapshot() const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, AccountHealth> m_accounts;
};

} // namespace pheu::bot::channels
