#include "bot/token_cipher.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace pheu::bot {

namespace {

constexpr std::string_view k_prefix = "pheu-enc1:";
constexpr std::string_view k_key_label = "pheu/channel-tokens/aes-256-gcm/v1";
constexpr int k_nonce_bytes = 12;
constexpr int k_tag_bytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext new_context() {
    CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!context) {
        throw std::runtime_error("token cipher: out of memory");
    }
    return context;
}

const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

std::string base64(const std::vector<unsigned char>& data) {
    std::string out(4 * ((data.size() + 2) / 3), '\0');
    const int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(), static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::vector<unsigned char> unbase64(std::string_view text) {
    if (text.size() % 4 != 0) {
        throw std::runtime_error("token cipher: a sealed value is not valid base64");
    }
    std::vector<unsigned char> out(3 * text.size() / 4);
    const int written = EVP_DecodeBlock(out.data(), bytes(text), static_cast<int>(text.size()));
    if (written < 0) {
        throw std::runtime_error("token cipher: a sealed value is not valid base64");
    }
    std::size_t size = static_cast<std::size_t>(written);
    // EVP_DecodeBlock counts the padding as zero bytes.
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
        --size;
    }
    out.resize(size);
    return out;
}

} // namespace

TokenCipher::TokenCipher(std::string_view master_key) {
    if (master_key.size() < k_min_master_key_length) {
        throw std::invalid_argument("PHEU_MASTER_KEY must hold at least 32 characters (try `openssl rand -base64 32`)");
    }
    // The AES key is an HMAC of a fixed label under the master key, so the master key itself
    // never reaches the cipher and a later key for another purpose can be derived alongside.
    unsigned int length = sizeof m_key;
    if (HMAC(EVP_sha256(), master_key.data(), static_cast<int>(master_key.size()), bytes(k_key_label),
             k_key_label.size(), m_key, &length) == nullptr) {
        throw std::runtime_error("token cipher: key derivation failed");
    }
}

bool TokenCipher::is_sealed(std::string_view value) {
    return value.substr(0, k_prefix.size()) == k_prefix;
}

std::string TokenCipher::seal(std::string_view plaintext, std::string_view context) const {
    std::vector<unsigned char> out(static_cast<std::size_t>(k_nonce_bytes) + plaintext.size() + k_tag_bytes);
    unsigned char* nonce = out.data();
    unsigned char* ciphertext = nonce + k_nonce_bytes;
    unsigned char* tag = ciphertext + plaintext.size();
    if (RAND_bytes(nonce, k_nonce_bytes) != 1) {
        throw std::runtime_error("token cipher: no random bytes for a nonce");
    }
    auto cipher = new_context();
    int length = 0;
    if (EVP_EncryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, m_key, nonce) != 1 ||
        EVP_EncryptUpdate(cipher.get(), nullptr, &length, bytes(context), static_cast<int>(context.size())) != 1 ||
        EVP_EncryptUpdate(cipher.get(), ciphertext, &length, bytes(plaintext), static_cast<int>(plaintext.size())) !=
            1 ||
        EVP_EncryptFinal_ex(cipher.get(), ciphertext + length, &length) != 1 ||
        EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_GET_TAG, k_tag_bytes, tag) != 1) {
        throw std::runtime_error("token cipher: encryption failed");
    }
    return std::string(k_prefix) + base64(out);
}

std::string TokenCipher::open(std::string_view sealed, std::string_view context) const {
    if (!is_sealed(sealed)) {
        throw std::runtime_error("token cipher: the value is not sealed");
    }
    std::vector<unsigned char> data = unbase64(sealed.substr(k_prefix.size()));
    if (data.size() < static_cast<std::size_t>(k_nonce_bytes + k_tag_bytes)) {
        throw std::runtime_error("token cipher: a sealed value is too short");
    }
    const std::size_t text_size = data.size() - k_nonce_bytes - k_tag_bytes;
    unsigned char* nonce = data.data();
    unsigned char* ciphertext = nonce + k_nonce_bytes;
    unsigned char* tag = ciphertext + text_size;
    std::string plaintext(text_size, '\0');
    auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
    auto cipher = new_context();
    int length = 0;
    if (EVP_DecryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, m_key, nonce) != 1 ||
        EVP_DecryptUpdate(cipher.get(), nullptr, &length, bytes(context), static_cast<int>(context.size())) != 1 ||
        EVP_DecryptUpdate(cipher.get(), out, &length, ciphertext, static_cast<int>(text_size)) != 1 ||
        EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_TAG, k_tag_bytes, tag) != 1 ||
        EVP_DecryptFinal_ex(cipher.get(), out + length, &length) != 1) {
        throw std::runtime_error("a stored platform token does not open with this PHEU_MASTER_KEY "
                                 "(another key, or the database was altered)");
    }
    return plaintext;
}

} // namespace pheu::bot
