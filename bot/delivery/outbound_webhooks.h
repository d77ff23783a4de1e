#pragma once
// The shop's outbound webhooks as Standard Webhooks (standardwebhooks.com) specifies them:
// the events pheu tells of, the signature each delivery carries, and when a failed delivery
// is tried again. Pure, but for the secret, which is random.
#include "common/enum_ids.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pheu::bot {

enum class WebhookEvent { stage_changed, voucher_issued, voucher_redeemed, message_failed, opted_out };

// The event types, as endpoints subscribe to them and payloads name them ("type").
inline constexpr common::EnumIds<WebhookEvent, 5> k_webhook_event_ids{
    {{WebhookEvent::stage_changed, "customer.stage_changed"},
     {WebhookEvent::voucher_issued, "voucher.issued"},
     {WebhookEvent::voucher_redeemed, "voucher.redeemed"},
     {WebhookEvent::message_failed, "message.failed"},
     {WebhookEvent::opted_out, "customer.opted_out"}}};

// "whsec_" and 24 random bytes in base64: the form Standard Webhooks' libraries read.
std::string new_webhook_secret();

// The webhook-id header of a delivery: the same on every attempt, so the receiver can
// drop a delivery it already handled.
std::string webhook_message_id(std::int64_t delivery_id);

// The webhook-signature header: "v1," and the base64 HMAC-SHA256, keyed with the secret's
// bytes, of "<webhook-id>.<webhook-timestamp>.<body>"; nullopt for a secret that is not
// "whsec_<base64>".
std::optional<std::string> standard_webhook_signature(std::string_view secret, std::string_view message_id,
                                                      std::int64_t timestamp_seconds, std::string_view body);

// How long to wait after `failed_attempts` failures (1 after the first) before the next
// try, on Standard Webhooks' suggested schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h;
// nullopt once eight attempts have failed (the delivery is given up, shown as failed).
std::optional<std::int64_t> webhook_retry_delay_ms(int failed_attempts);

} // namespace pheu::bot
