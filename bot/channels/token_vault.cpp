#include "bot/channels/token_vault.h"

#include "bot/token_cipher.h"
#include "store/database.h"
#include "store/write_gate.h"

#include "store/sql/connection.h"
#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>

namespace pheu::bot::channels {

namespace {

// Binds a sealed value to its row and column, so it cannot be moved to another account.
std::string context_of(const std::string& channel, const std::string& account_id, const char* column) {
    return channel + "/" + account_id + "/" + column;
}

} // namespace

DatabaseTokenVault::DatabaseTokenVault(const std::string& database_path, store::WriteGate& gate,
                                       const TokenCipher* cipher)
    : m_db(store::sql::open_connection(database_path, store::Sync::full)), m_gate(gate), m_cipher(cipher) {
    // A replaced token's bytes are overwritten, not left in a free page of the file.
    // (PostgreSQL's space is its own to manage; its data directory is the server's.)
    if (m_db->backend() == store::sql::Backend::sqlite) {
        m_db->execute("PRAGMA secure_delete=ON");
    }
}

DatabaseTokenVault::~DatabaseTokenVault() = default;

std::optional<store::StoredToken> DatabaseTokenVault::load(const std::string& channel, const std::string& account_id) {
    std::lock_guard lock(m_mutex);
    std::optional<store::StoredToken> token = store::ChannelTokenStore(*m_db).get(channel, account_id);
    if (!token) {
        return token;
    }
    const bool sealed = TokenCipher::is_sealed(token->access_token) || TokenCipher::is_sealed(token->refresh_token);
    if (sealed && m_cipher == nullptr) {
        throw std::runtime_error("the stored tokens of " + channel + " account " + account_id +
                                 " are encrypted: start pheu with the PHEU_MASTER_KEY they were stored with");
    }
    if (m_cipher == nullptr) {
        return token;
    }
    if (!sealed) {
        spdlog::info("tokens: sealing the plaintext tokens of {} account {} with the master key", channel, account_id);
        const auto gate = m_gate.enter();
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        put(channel, account_id, *token, std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
        return token;
    }
    return opened(channel, account_id, std::move(token));
}

std::optional<store::StoredToken> DatabaseTokenVault::opened(const std::string& channel, const std::string& account_id,
                                                             std::optional<store::StoredToken> token) const {
    if (!token || m_cipher == nullptr) {
        return token;
    }
    if (TokenCipher::is_sealed(token->access_token)) {
        token->access_token = m_cipher->open(token->access_token, context_of(channel, account_id, "access_token"));
    }
    if (TokenCipher::is_sealed(token->refresh_token)) {
        token->refresh_token = m_cipher->open(token->refresh_token, context_of(channel, account_id, "refresh_token"));
    }
    return token;
}

std::optional<store::StoredToken> TokenVault::rotate(const std::string& channel, const std::string& account_id,
                                                     const Rotation& rotation, std::int64_t now_ms) {
    std::optional<store::StoredToken> fresh = rotation(load(channel, account_id));
    if (fresh) {
        save(channel, account_id, *fresh, now_ms);
    }
    return fresh;
}

std::optional<store::StoredToken> DatabaseTokenVault::rotate(const std::string& channel, const std::string& account_id,
                                                             const Rotation& rotation, std::int64_t now_ms) {
    if (m_db->backend() == store::sql::Backend::sqlite) {
        return TokenVault::rotate(channel, account_id, rotation, now_ms);
    }
    std::lock_guard lock(m_mutex);
    store::sql::Transaction transaction(*m_db);
    std::optional<store::StoredToken> fresh =
        rotation(opened(channel, account_id, store::ChannelTokenStore(*m_db).get_for_update(channel, account_id)));
    if (fresh) {
        put(channel, account_id, *fresh, now_ms);
    }
    transaction.commit();
    return fresh;
}

void DatabaseTokenVault::save(const std::string& channel, const std::string& account_id,
                              const store::StoredToken& token, std::int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    const auto gate = m_gate.enter();
    put(channel, account_id, token, now_ms);
}

void DatabaseTokenVault::put(const std::string& channel, const std::string& account_id, const store::StoredToken& token,
                             std::int64_t now_ms) {
    store::StoredToken stored = token;
    if (m_cipher != nullptr) {
        stored.access_token = m_cipher->seal(token.access_token, context_of(channel, account_id, "access_token"));
        stored.refresh_token = m_cipher->seal(token.refresh_token, context_of(channel, account_id, "refresh_token"));
    }
    store::ChannelTokenStore(*m_db).put(channel, account_id, stored, now_ms);
}

} // namespace pheu::bot::channels
