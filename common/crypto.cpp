#include "common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace pheu::common {

namespace {

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string hex(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        hex[2 * i] = k_digits[bytes[i] >> 4];
        hex[2 * i + 1] = k_digits[bytes[i] & 0x0f];
    }
    return hex;
}

// Fetched once: with OpenSSL 3, `EVP_sha256()` makes every digest look the algorithm up
// again, a sixth of the instructions of hashing a webhook body (callgrind). Never freed: it
// lives as long as the process.
const EVP_MD* fetched_sha256() {
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (sha256 == nullptr) {
        throw std::runtime_error("OpenSSL has no SHA-256 implementation");
    }
    return sha256;
}

} // namespace

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!context || EVP_DigestInit_ex(context.get(), fetched_sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL could not start a SHA-256 digest");
    }
    for (std::string_view part : parts) {
        if (EVP_DigestUpdate(context.get(), part.data(), part.size()) != 1) {
            throw std::runtime_error("OpenSSL SHA-256 update failed");
        }
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) {
        throw std::runtime_error("OpenSSL SHA-256 final failed");
    }
    return to_hex(digest.data(), length);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (HMAC(fetched_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
             &length) == nullptr) {
        throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
    }
    return to_hex(digest.data(), length);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace pheu::common
