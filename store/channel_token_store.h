#pragma once
// SQL over the platforms' access tokens. Zalo refresh tokens are single-use and rotate on
// every refresh, so the pair a refresh returns is written here before it is ever used.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::store {

struct StoredToken {
    std::string access_token;
    std::string refresh_token;
    std::optional<std::int64_t> refresh_due_at; // refresh before expiry; nullopt when unknown
    std::string seeded_from;                    // SHA-256 of the configured refresh token it began from
};

class ChannelTokenStore {
public:
    explicit ChannelTokenStore(sql::Connection& db);

    std::optional<StoredToken> get(const std::string& channel, const std::string& account_id);
    // The same, its row locked until the caller's transaction ends (PostgreSQL; SQLite's
    // write transaction locks the whole file already).
    std::optional<StoredToken> get_for_update(const std::string& channel, const std::string& account_id);
    // Inserts or replaces the pair in one statement: committed before it returns, unless the
    // caller's transaction holds it.
    void put(const std::string& channel, const std::string& account_id, const StoredToken& token, std::int64_t now_ms);

private:
    std::optional<StoredToken> read(const std::string& channel, const std::string& account_id, bool for_update);

    StatementCache m_statements;
};

} // namespace pheu::store
