#pragma once
// The hashing and comparison primitives webhook verification is built on (OpenSSL).
#include <initializer_list>
#include <string>
#include <string_view>

namespace pheu::common {

// Lower-case hex SHA-256 of the concatenation of `parts`, hashed without copying them together.
std::string sha256_hex(std::initializer_list<std::string_view> parts);

// Lower-case hex HMAC-SHA256 of `message` keyed with `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// Compares in time that depends only on the lengths, so a forger learns nothing from timing.
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace pheu::common
