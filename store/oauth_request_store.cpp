#include "store/oauth_request_store.h"

namespace pheu::store {

OAuthRequestStore::OAuthRequestStore(sql::Connection& db) : m_statements(db) {}

void OAuthRequestStore::open(const std::string& state_hash, const OAuthRequest& request, std::int64_t now_ms,
                             std::int64_t expires_at) {
    auto forget = m_statements("DELETE FROM oauth_requests WHERE expires_at <= ?");
    forget->bind(1, static_cast<int64_t>(now_ms));
    forget->run();
    auto insert = m_statements("INSERT INTO oauth_requests (state_hash, channel, account_id, code_verifier, actor, "
                               "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert->bind(1, state_hash);
    insert->bind(2, request.channel);
    insert->bind(3, request.account_id);
    insert->bind(4, request.code_verifier);
    insert->bind(5, request.actor);
    insert->bind(6, static_cast<int64_t>(now_ms));
    insert->bind(7, static_cast<int64_t>(expires_at));
    insert->run();
}

std::optional<OAuthRequest> OAuthRequestStore::take(const std::string& state_hash, std::int64_t now_ms) {
    auto take = m_statements("DELETE FROM oauth_requests WHERE state_hash = ? "
                             "RETURNING channel, account_id, code_verifier, actor, expires_at");
    take->bind(1, state_hash);
    if (!take->step()) {
        return std::nullopt;
    }
    OAuthRequest request{
        .channel = take->text(0), .account_id = take->text(1), .code_verifier = take->text(2), .actor = take->text(3)};
    const bool expired = take->int64(4) <= now_ms;
    while (take->step()) {
    }
    if (expired) {
        return std::nullopt;
    }
    return request;
}

} // namespace pheu::store
