#include "bot/token_cipher.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using pheu::bot::TokenCipher;

namespace {
const std::string k_key = "0123456789abcdef0123456789abcdef-master";
}

TEST_CASE("a sealed token opens with the same key and context, and reads as sealed") {
    const TokenCipher cipher(k_key);
    const std::string sealed = cipher.seal("zalo-access-token-Đà-Nẵng", "zalo/oa1/access_token");
    CHECK(TokenCipher::is_sealed(sealed));
    CHECK(sealed.find("zalo-access-token") == std::string::npos);
    CHECK(cipher.open(sealed, "zalo/oa1/access_token") == "zalo-access-token-Đà-Nẵng");
    CHECK_FALSE(TokenCipher::is_sealed("zalo-access-token"));
}

TEST_CASE("sealing twice gives different values, as each seal has its own nonce") {
    const TokenCipher cipher(k_key);
    CHECK(cipher.seal("same", "ctx") != cipher.seal("same", "ctx"));
    CHECK(cipher.open(cipher.seal("", "ctx"), "ctx").empty());
}

TEST_CASE("a sealed token does not open under another key, another context, or once altered") {
    const TokenCipher cipher(k_key);
    const std::string sealed = cipher.seal("refresh-token", "zalo/oa1/refresh_token");
    const TokenCipher other("another-master-key-of-32-characters-or-more");
    CHECK_THROWS_AS(other.open(sealed, "zalo/oa1/refresh_token"), std::runtime_error);
    CHECK_THROWS_AS(cipher.open(sealed, "zalo/oa2/refresh_token"), std::runtime_error);
    std::string altered = sealed;
    altered[altered.size() - 6] = altered[altered.size() - 6] == 'A' ? 'B' : 'A';
    CHECK_THROWS_AS(cipher.open(altered, "zalo/oa1/refresh_token"), std::runtime_error);
    CHECK_THROWS_AS(cipher.open(sealed.substr(0, 20), "zalo/oa1/refresh_token"), std::runtime_error);
    CHECK_THROWS_AS(cipher.open("plaintext", "zalo/oa1/refresh_token"), std::runtime_error);
}

TEST_CASE("a master key shorter than 32 characters is refused") {
    CHECK_THROWS_AS(TokenCipher("short-key"), std::invalid_argument);
}
