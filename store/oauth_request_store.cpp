#include "store/oauth_request_store.h"

#include <SQLiteCpp/Statement.h>

namespace pheu::store {

OAuthRequestStore::OAuthRequestStore(SQLite::Database& db) : m_statements(db) {}

void OAuthRequestStore::open(const std::string& state_hash, const OAuthRequest& request, std::int64_t now_ms,
                             std::int64_t expires_at) {
    auto forget = m_statements("DELETE FROM oauth_requests WHERE expires_at <= ?");
    forget->bind(1, static_cast<int64_t>(now_ms));
    forget->exec();
    auto insert = m_statements("INSERT INTO oauth_requests (state_hash, channel, account_id, code_verifier, actor, "
                               "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert->bind(1, state_hash);
    insert->bind(2, request.channel);
    insert->bind(3, request.account_id);
    insert->bind(4, request.code_verifier);
    insert->bind(5, request.actor);
    insert->bind(6, static_cast<int64_t>(now_ms));
    insert->bind(7, static_cast<int64_t>(expires_at));
    insert->exec();
}

std::optional<OAuthRequest> OAuthRequestStore::take(const std::string& state_hash, std::int64_t now_ms) {
    auto take = m_statements("DELETE FROM oauth_requests WHERE state_hash = ? "
                             "RETURNING channel, account_id, code_verifier, actor, expires_at");
    take->bind(1, state_hash);
    if (!take->executeStep()) {
        return std::nullopt;
    }
    OAuthRequest request{.channel = take->getColumn(0).getString(),
                         .account_id = take->getColumn(1).getString(),
                         .code_verifier = take->getColumn(2).getString(),
                         .actor = take->getColumn(3).getString()};
    const bool expired = take->getColumn(4).getInt64() <= now_ms;
    while (take->executeStep()) {
    }
    if (expired) {
        return std::nullopt;
    }
    return request;
}

} // namespace pheu::store
