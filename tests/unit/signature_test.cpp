// Signature vectors were computed outside our code with OpenSSL's command line, e.g.
//   printf '%s' '<app_id><body><timestamp><secret>' | openssl dgst -sha256
//   printf '%s' '<body>' | openssl dgst -sha256 -hmac '<secret>'
#include "common/crypto.h"
#include "handlers/http/json_error.h"
#include "handlers/ingress/zalo_signature.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace pheu::handlers;
using namespace pheu::common;

namespace {
const std::string k_text_body = R"({"app_id":"1234567890","event_name":"user_send_text","timestamp":"1724921862647"})";
const std::string k_text_mac = "a0df4284e12b9837bae0603f841c278577c80baebe311e1d1ec602b672760524";
const std::string k_number_body = R"({"app_id":"1234567890","event_name":"follow","timestamp":1724921862647})";
const std::string k_number_mac = "46fd05fb4b93dc44d86ce2791000e90fee52be281762eb3cd889a423a8095034";
} // namespace

TEST_CASE("zalo mac matches openssl's sha256 of app_id + body + timestamp + secret", "[unit][signature]") {
    CHECK(zalo_mac("1234567890", k_text_body, "1724921862647", "s3cr3t-oa-key") == k_text_mac);
    CHECK(sha256_hex({"app", "X", "body", "ts"}) == "deaf299ad912ab9133647b488c1e72d8d9542eddc89866892326d48b80462886");
}

TEST_CASE("the signed timestamp is the body's timestamp as written, string or number", "[unit][signature]") {
    SECTION("a string timestamp contributes its characters") {
        const auto body = nlohmann::json::parse(k_text_body);
        CHECK(zalo_signature_timestamp(k_text_body, body) == "1724921862647");
        CHECK(zalo_signature_matches("mac=" + k_text_mac, "1234567890", k_text_body, "1724921862647", "s3cr3t-oa-key"));
    }
    SECTION("a number timestamp contributes its literal text") {
        const auto body = nlohmann::json::parse(k_number_body);
        const std::string timestamp = zalo_signature_timestamp(k_number_body, body);
        CHECK(timestamp == "1724921862647");
        CHECK(zalo_signature_matches("mac=" + k_number_mac, "1234567890", k_number_body, timestamp, "s3cr3t-oa-key"));
    }
    SECTION("a number in exponent form is hashed exactly as written") {
        const std::string raw = R"({"a":"Khuyến mãi 🎉"})";
        CHECK(zalo_mac("42", raw, "1.5e3", "key") ==
              "8afe9d291062327f475f2fd5946d5a107efef9613b1075d7e34fb741963a016b");
        const std::string with_float = R"({"nested":{"timestamp":1},"timestamp" : 1.5e3 })";
        CHECK(zalo_signature_timestamp(with_float, nlohmann::json::parse(with_float)) == "1.5e3");
    }
    SECTION("an absent timestamp is empty") {
        const std::string raw = R"({"event_name":"follow"})";
        CHECK(zalo_signature_timestamp(raw, nlohmann::json::parse(raw)).empty());
    }
}

TEST_CASE("zalo signature header variants", "[unit][signature]") {
    const auto matches = [](const std::string& header) {
        return zalo_signature_matches(header, "1234567890", k_text_body, "1724921862647", "s3cr3t-oa-key");
    };
    CHECK(matches("mac=" + k_text_mac));
    CHECK(matches("  mac=" + k_text_mac + " "));
    std::string upper = k_text_mac;
    for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    CHECK(matches("MAC=" + upper));
    CHECK_FALSE(matches(k_text_mac));                    // no mac= prefix
    CHECK_FALSE(matches("mac=" + k_text_mac.substr(1))); // truncated
    CHECK_FALSE(matches("mac=" + k_text_mac + "0"));     // too long
    CHECK_FALSE(matches("sha256=" + k_text_mac));
    CHECK_FALSE(matches(""));
    std::string flipped = k_text_mac;
    flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
    CHECK_FALSE(matches("mac=" + flipped));
    // Same body and key, another app id or secret: refused.
    CHECK_FALSE(
        zalo_signature_matches("mac=" + k_text_mac, "1234567891", k_text_body, "1724921862647", "s3cr3t-oa-key"));
    CHECK_FALSE(zalo_signature_matches("mac=" + k_text_mac, "1234567890", k_text_body, "1724921862647", "other-key"));
}

TEST_CASE("messenger signature is openssl's HMAC-SHA256 of the raw body", "[unit][signature]") {
    CHECK(hmac_sha256_hex("page-app-secret", R"({"object":"page","entry":[]})") ==
          "30465871fd8ed3d2ff13077df28c92db2116e03cc31fd5c26d8cc535f9af3de9");
}

TEST_CASE("constant-time comparison and bearer tokens", "[unit][signature]") {
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
    CHECK(bearer_token_matches("Bearer tok-1", "tok-1"));
    CHECK(bearer_token_matches("bearer tok-1", "tok-1"));
    CHECK_FALSE(bearer_token_matches("Bearer tok-2", "tok-1"));
    CHECK_FALSE(bearer_token_matches("tok-1", "tok-1"));
    CHECK_FALSE(bearer_token_matches("Bearer ", ""));
    CHECK_FALSE(bearer_token_matches("", ""));
}

TEST_CASE("raw member text finds the last top-level member and skips nested ones", "[unit][signature]") {
    const std::string raw = R"({"a":{"timestamp":"inner"},"s":"x\"timestamp\":9","timestamp":"1","timestamp":22})";
    CHECK(raw_member_text(raw, "timestamp") == "22");
    CHECK(raw_member_text(raw, "a") == R"({"timestamp":"inner"})");
    CHECK(raw_member_text("{}", "timestamp").empty());
    CHECK(raw_member_text("[1,2]", "timestamp").empty());
}

TEST_CASE("PKCE's S256 challenge matches RFC 7636's example, and base64url has no padding", "[unit][signature]") {
    // RFC 7636, Appendix B.
    CHECK(pkce_s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    CHECK(base64url("") == "");
    CHECK(base64url("f") == "Zg");
    CHECK(base64url("fo") == "Zm8");
    CHECK(base64url("foo") == "Zm9v");
    CHECK(base64url("\xfb\xff") == "-_8");
    CHECK(random_hex(16).size() == 32);
    CHECK(random_hex(16) != random_hex(16));
}
