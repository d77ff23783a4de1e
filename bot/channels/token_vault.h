#pragma once
// Where access tokens are kept between runs. Abstract so the token logic is tested without
// a database; the real vault writes to the channel_tokens table on its own connection,
// through the process's write gate, and commits (with an fsync) before it returns. With a
// cipher (PHEU_MASTER_KEY set) both tokens are sealed before they reach the database, and
// pairs stored in plaintext before the key was set are sealed the first time they are read.
#include "store/channel_token_store.h"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace pheu::store::sql {
class Connection;
}
namespace pheu::store {
class WriteGate;
}

namespace pheu::bot {
class TokenCipher;
}

namespace pheu::bot::channels {

class TokenVault {
public:
    virtual ~TokenVault() = default;
    virtual std::optional<store::StoredToken> load(const std::string& channel, const std::string& account_id) = 0;
    virtual void save(const std::string& channel, const std::string& account_id, const store::StoredToken& token,
                      std::int64_t now_ms) = 0;

    // Replacing a pair whose refresh token the platform spends on use: `rotation` gets the
    // pair as stored now, and what it returns (the new pair, or nothing) is saved before any
    // other pheu instance may read the pair to rotate it too. Returns what was saved.
    using Rotation = std::function<std::optional<store::StoredToken>(const std::optional<store::StoredToken>& stored)>;
    virtual std::optional<store::StoredToken> rotate(const std::string& channel, const std::string& account_id,
                                                     const Rotation& rotation, std::int64_t now_ms);
};

class DatabaseTokenVault final : public TokenVault {
public:
    // `cipher` may be null (no master key): tokens are then stored as they are.
    DatabaseTokenVault(const std::string& database_path, store::WriteGate& gate, const TokenCipher* cipher);
    ~DatabaseTokenVault() override;

    std::optional<store::StoredToken> load(const std::string& channel, const std::string& account_id) override;
    void save(const std::string& channel, const std::string& account_id, const store::StoredToken& token,
              std::int64_t now_ms) override;
    // On PostgreSQL under the pair's row lock, held across the call to the platform; on
    // SQLite one process serves the file, and a transaction held that long would stop every
    // writer, so the caller's own lock is the one that counts.
    std::optional<store::StoredToken> rotate(const std::string& channel, const std::string& account_id,
                                             const Rotation& rotation, std::int64_t now_ms) override;

private:
    // The stored pair with its tokens opened (m_mutex held).
    std::optional<store::StoredToken> opened(const std::string& channel, const std::string& account_id,
                                             std::optional<store::StoredToken> token) const;
    void put(const std::string& channel, const std::string& account_id, const store::StoredToken& token,
             std::int64_t now_ms);

    std::mutex m_mutex; // one connection, used by the sender threads in turn
    std::unique_ptr<store::sql::Connection> m_db;
    store::WriteGate& m_gate;
    const TokenCipher* m_cipher;
};

} // namespace pheu::bot::channels
