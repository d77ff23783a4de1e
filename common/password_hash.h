#pragma once
// Console passwords, hashed with Argon2id (libsodium's crypto_pwhash at its "interactive"
// cost: 64 MiB and about a tenth of a second on our machines), so a stolen database does
// not give the passwords away. Both calls wait while two others run: each takes 64 MiB, and
// a burst of sign-ins must not take the machine's memory.
#include <string>
#include <string_view>

namespace pheu::common {

// The encoded hash ("$argon2id$v=19$m=65536,t=2,p=1$…"), salt included. Throws when the
// library cannot (out of memory).
std::string hash_password(std::string_view password);
// Whether `password` is the one `encoded` was made from; false for anything not a hash.
bool password_matches(std::string_view encoded, std::string_view password);

} // namespace pheu::common
