#pragma once
// The hashing and comparison primitives webhook verification, sessions and OAuth are built on
// (OpenSSL).
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace pheu::common {

// Lower-case hex SHA-256 of the concatenation of `parts`, hashed without copying them together.
std::string sha256_hex(std::initializer_list<std::string_view> parts);

// Lower-case hex HMAC-SHA256 of `message` keyed with `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// Compares in time that depends only on the lengths, so a forger learns nothing from timing.
bool constant_time_equal(std::string_view a, std::string_view b);

// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5), as OAuth's PKCE uses it.
std::string base64url(std::string_view bytes);
// Standard base64 with padding (RFC 4648 §4), and back (either alphabet); nullopt for text
// that is not base64.
std::string base64(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);
// Base64 of HMAC-SHA256 of `message` keyed with `key` (raw bytes): Standard Webhooks' signature.
std::string hmac_sha256_base64(std::string_view key, std::string_view message);

// OAuth PKCE's S256 code challenge of a code verifier: base64url(SHA-256(verifier)) (RFC 7636).
std::string pkce_s256_challenge(std::string_view code_verifier);

// `bytes` bytes from the operating system's generator, as lower-case hex: session tokens,
// CSRF tokens, webhook secrets. Throws when the generator fails.
std::string random_hex(std::size_t bytes);
// The same bytes, raw.
std::string random_bytes(std::size_t count);

} // namespace pheu::common
