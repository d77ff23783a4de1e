#include "common/password_hash.h"

#include <sodium.h>

#include <semaphore>
#include <stdexcept>

namespace pheu::common {

namespace {

std::counting_semaphore<2>& hashing_slots() {
    static std::counting_semaphore<2> slots(2);
    return slots;
}

// Holds one of the two hashing slots for its lifetime.
class HashingSlot {
public:
    HashingSlot() {
        static const bool ready = sodium_init() >= 0;
        if (!ready) {
            throw std::runtime_error("libsodium could not start");
        }
        hashing_slots().acquire();
    }
    ~HashingSlot() { hashing_slots().release(); }
    HashingSlot(const HashingSlot&) = delete;
    HashingSlot& operator=(const HashingSlot&) = delete;
};

} // namespace

std::string hash_password(std::string_view password) {
    HashingSlot slot;
    char encoded[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("password hashing ran out of memory");
    }
    return encoded;
}

bool password_matches(std::string_view encoded, std::string_view password) {
    if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) {
        return false;
    }
    const std::string terminated(encoded); // libsodium reads a C string
    HashingSlot slot;
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

} // namespace pheu::common
