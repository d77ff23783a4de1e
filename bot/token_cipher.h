#pragma once
// Encryption of the platform tokens pheu keeps in its database (channel_tokens). With a
// master key in the environment (PHEU_MASTER_KEY), a stolen copy of the database, its WAL or
// a backup holds no usable Zalo token: each value is sealed with AES-256-GCM under a key
// derived from the master key, with a fresh nonce, and bound to its row and column (the
// context), so a sealed value copied to another account's row does not open.
//
// Sealed values read "pheu-enc1:" followed by base64(nonce | ciphertext | tag); anything else
// is a plaintext value stored before a key was configured.
#include <string>
#include <string_view>

namespace pheu::bot {

class TokenCipher {
public:
    // The master key must hold at least 32 characters (e.g. `openssl rand -base64 32`).
    // Throws std::invalid_argument when it is shorter.
    explicit TokenCipher(std::string_view master_key);

    [[nodiscard]] std::string seal(std::string_view plaintext, std::string_view context) const;
    // Throws std::runtime_error when the value was sealed under another key or context, or
    // was altered.
    [[nodiscard]] std::string open(std::string_view sealed, std::string_view context) const;

    [[nodiscard]] static bool is_sealed(std::string_view value);

    static constexpr std::size_t k_min_master_key_length = 32;

private:
    unsigned char m_key[32];
};

} // namespace pheu::bot
