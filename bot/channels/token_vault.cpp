#include "bot/channels/token_vault.h"

#include "store/database.h"
#include "store/write_gate.h"

namespace pheu::bot::channels {

DatabaseTokenVault::DatabaseTokenVault(const std::string& database_path, store::WriteGate& gate)
    : m_db(store::open_database(database_path, store::Sync::full)), m_gate(gate) {}

DatabaseTokenVault::~DatabaseTokenVault() = default;

std::optional<store::StoredToken> DatabaseTokenVault::load(const std::string& channel, const std::string& account_id) {
    std::lock_guard lock(m_mutex);
    return store::ChannelTokenStore(*m_db).get(channel, account_id);
}

void DatabaseTokenVault::save(const std::string& channel, const std::string& account_id,
                              const store::StoredToken& token, std::int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    const auto gate = m_gate.enter();
    store::ChannelTokenStore(*m_db).put(channel, account_id, token, now_ms);
}

} // namespace pheu::bot::channels
