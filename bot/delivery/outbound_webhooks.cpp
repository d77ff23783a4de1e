#include "bot/delivery/outbound_webhooks.h"

#include "common/crypto.h"

#include <array>

namespace pheu::bot {

namespace {

constexpr std::string_view k_secret_prefix = "whsec_";

} // namespace

std::string new_webhook_secret() {
    return std::string(k_secret_prefix) + common::base64(common::random_bytes(24));
}

std::string webhook_message_id(std::int64_t delivery_id) {
    return "msg_pheu_" + std::to_string(delivery_id);
}

std::optional<std::string> standard_webhook_signature(std::string_view secret, std::string_view message_id,
                                                      std::int64_t timestamp_seconds, std::string_view body) {
    if (secret.substr(0, k_secret_prefix.size()) != k_secret_prefix) {
        return std::nullopt;
    }
    const auto key = common::base64_decode(secret.substr(k_secret_prefix.size()));
    if (!key || key->empty()) {
        return std::nullopt;
    }
    std::string signed_content(message_id);
    signed_content += '.';
    signed_content += std::to_string(timestamp_seconds);
    signed_content += '.';
    signed_content += body;
    return "v1," + common::hmac_sha256_base64(*key, signed_content);
}

std::optional<std::int64_t> webhook_retry_delay_ms(int failed_attempts) {
    constexpr std::int64_t k_second = 1000;
    constexpr std::int64_t k_minute = 60 * k_second;
    constexpr std::int64_t k_hour = 60 * k_minute;
    static constexpr std::array<std::int64_t, 7> k_waits{5 * k_second, 5 * k_minute, 30 * k_minute, 2 * k_hour,
                                                         5 * k_hour,   10 * k_hour,  10 * k_hour};
    if (failed_attempts < 1 || failed_attempts > static_cast<int>(k_waits.size())) {
        return std::nullopt;
    }
    return k_waits[static_cast<std::size_t>(failed_attempts - 1)];
}

} // namespace pheu::bot
