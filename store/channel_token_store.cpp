#include "store/channel_token_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

ChannelTokenStore::ChannelTokenStore(sql::Connection& db) : m_statements(db) {}

std::optional<StoredToken> ChannelTokenStore::get(const std::string& channel, const std::string& account_id) {
    return read(channel, account_id, false);
}

std::optional<StoredToken> ChannelTokenStore::get_for_update(const std::string& channel,
                                                             const std::string& account_id) {
    return read(channel, account_id, m_statements.backend() == sql::Backend::postgresql);
}

std::optional<StoredToken> ChannelTokenStore::read(const std::string& channel, const std::string& account_id,
                                                   bool for_update) {
    auto query = m_statements(std::string("SELECT access_token, refresh_token, refresh_due_at, seeded_from FROM "
                                          "channel_tokens WHERE channel = ? AND account_id = ?") +
                              (for_update ? " FOR UPDATE" : ""));
    query->bind(1, channel);
    query->bind(2, account_id);
    if (!query->step()) {
        return std::nullopt;
    }
    return StoredToken{query->text(0), query->text(1), optional_int(*query, 2), query->text(3)};
}

void ChannelTokenStore::put(const std::string& channel, const std::string& account_id, const StoredToken& token,
                            std::int64_t now_ms) {
    auto upsert = m_statements("INSERT INTO channel_tokens (channel, account_id, access_token, refresh_token, "
                               "refresh_due_at, seeded_from, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (channel, account_id) DO UPDATE SET access_token = excluded.access_token, "
                               "refresh_token = excluded.refresh_token, refresh_due_at = excluded.refresh_due_at, "
                               "seeded_from = excluded.seeded_from, updated_at = excluded.updated_at");
    upsert->bind(1, channel);
    upsert->bind(2, account_id);
    upsert->bind(3, token.access_token);
    upsert->bind(4, token.refresh_token);
    bind_optional_int(*upsert, 5, token.refresh_due_at);
    upsert->bind(6, token.seeded_from);
    upsert->bind(7, static_cast<int64_t>(now_ms));
    upsert->run();
}

} // namespace pheu::store
