// Standard Webhooks' signature and retry schedule, and the secrets pheu makes. The vector is
// Standard Webhooks' own, checked with openssl:
//   printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' |
//     openssl dgst -sha256 -mac HMAC -macopt hexkey:$(echo -n MfKQ…LaSw | base64 -d | xxd -p) -binary | base64
#include "bot/delivery/outbound_webhooks.h"
#include "common/crypto.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;

TEST_CASE("a delivery is signed as Standard Webhooks specifies", "[unit][webhooks]") {
    CHECK(standard_webhook_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                     1614265330,
                                     R"({"test": 2432232314})") == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    // Another body, id or moment is another signature.
    CHECK(standard_webhook_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                     1614265331,
                                     R"({"test": 2432232314})") != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    CHECK_FALSE(standard_webhook_signature("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg", 1, "{}"));
    CHECK_FALSE(standard_webhook_signature("whsec_", "msg", 1, "{}"));
    CHECK_FALSE(standard_webhook_signature("whsec_not base64!", "msg", 1, "{}"));
}

TEST_CASE("a new secret is whsec_ and 24 random bytes", "[unit][webhooks]") {
    const std::string secret = new_webhook_secret();
    REQUIRE(secret.rfind("whsec_", 0) == 0);
    CHECK(pheu::common::base64_decode(secret.substr(6))->size() == 24);
    CHECK(new_webhook_secret() != secret);
    CHECK(standard_webhook_signature(secret, "msg", 1, "{}").has_value());
    CHECK(webhook_message_id(42) == "msg_pheu_42");
}

TEST_CASE("a failed delivery is tried again for about a day and a half, then given up", "[unit][webhooks]") {
    CHECK_FALSE(webhook_retry_delay_ms(0));
    CHECK(webhook_retry_delay_ms(1) == 5'000);
    CHECK(webhook_retry_delay_ms(2) == 300'000);
    CHECK(webhook_retry_delay_ms(7) == 36'000'000);
    CHECK_FALSE(webhook_retry_delay_ms(8)); // the eighth attempt failed: given up
    std::int64_t total = 0;
    for (int failed = 1; webhook_retry_delay_ms(failed); ++failed) {
        total += *webhook_retry_delay_ms(failed);
    }
    CHECK(total == 5'000 + 300'000 + 1'800'000 + 7'200'000 + 18'000'000 + 36'000'000 + 36'000'000);
}

TEST_CASE("base64 both ways, padded", "[unit][webhooks]") {
    CHECK(pheu::common::base64("") == "");
    CHECK(pheu::common::base64("f") == "Zg==");
    CHECK(pheu::common::base64("fo") == "Zm8=");
    CHECK(pheu::common::base64("foobar") == "Zm9vYmFy");
    CHECK(pheu::common::base64_decode("Zm9vYmFy") == "foobar");
    CHECK(pheu::common::base64_decode("Zg==") == "f");
    CHECK(pheu::common::base64_decode("-_8") == "\xfb\xff");
    CHECK_FALSE(pheu::common::base64_decode("Zg=a"));
    CHECK_FALSE(pheu::common::base64_decode("Z g"));
}
