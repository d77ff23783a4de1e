#include "common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cstdint>
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

namespace {

struct Digest {
    std::array<unsigned char, EVP_MAX_MD_SIZE> bytes{};
    unsigned int length = 0;
};

Digest sha256_digest(std::initializer_list<std::string_view> parts) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!context || EVP_DigestInit_ex(context.get(), fetched_sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL could not start a SHA-256 digest");
    }
    for (std::string_view part : parts) {
        if (EVP_DigestUpdate(context.get(), part.data(), part.size()) != 1) {
            throw std::runtime_error("OpenSSL SHA-256 update failed");
        }
    }
    Digest digest;
    if (EVP_DigestFinal_ex(context.get(), digest.bytes.data(), &digest.length) != 1) {
        throw std::runtime_error("OpenSSL SHA-256 final failed");
    }
    return digest;
}

} // namespace

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
    const Digest digest = sha256_digest(parts);
    return to_hex(digest.bytes.data(), digest.length);
}

namespace {

std::string base64_with(std::string_view bytes, const char* alphabet, bool padded) {
    std::string text;
    text.reserve((bytes.size() + 2) / 3 * 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : bytes) {
        buffer = (buffer << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            text.push_back(alphabet[(buffer >> bits) & 0x3f]);
        }
    }
    if (bits > 0) {
        text.push_back(alphabet[(buffer << (6 - bits)) & 0x3f]);
    }
    while (padded && text.size() % 4 != 0) {
        text.push_back('=');
    }
    return text;
}

} // namespace

std::string base64url(std::string_view bytes) {
    return base64_with(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", false);
}

std::string base64(std::string_view bytes) {
    return base64_with(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", true);
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string bytes;
    std::uint32_t buffer = 0;
    int bits = 0;
    std::size_t padding = 0;
    for (const char c : text) {
        int value = -1;
        if (c >= 'A' && c <= 'Z') {
            value = c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            value = c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            value = c - '0' + 52;
        } else if (c == '+' || c == '-') {
            value = 62;
        } else if (c == '/' || c == '_') {
            value = 63;
        } else if (c == '=') {
            ++padding;
            continue;
        }
        if (value < 0 || padding > 0) {
            return std::nullopt; // not base64, or data after the padding
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes.push_back(static_cast<char>((buffer >> bits) & 0xff));
        }
    }
    if (padding > 2) {
        return std::nullopt;
    }
    return bytes;
}

std::string hmac_sha256_base64(std::string_view key, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (HMAC(fetched_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
             &length) == nullptr) {
        throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
    }
    return base64(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

std::string pkce_s256_challenge(std::string_view code_verifier) {
    const Digest digest = sha256_digest({code_verifier});
    return base64url(std::string_view(reinterpret_cast<const char*>(digest.bytes.data()), digest.length));
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

std::string random_bytes(std::size_t count) {
    std::string raw(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(count)) != 1) {
        throw std::runtime_error("no random bytes from the operating system");
    }
    return raw;
}

std::string random_hex(std::size_t bytes) {
    const std::string raw = random_bytes(bytes);
    return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), bytes);
}

} // namespace pheu::common
