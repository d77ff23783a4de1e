#pragma once
// What the dispatcher does after a platform call: pure, so every rule below is tested on
// its own. In order:
// - accepted: sent;
// - pheu's own refusal (a promotion outside Messenger's window): skipped with the reason;
// - the customer's window is closed: a Zalo message falls back to the shop's registered
//   template (by user id, or ZNS by phone) when one is mapped, else skipped;
// - Zalo's night rule (-234): waits for the morning;
// - the account's credentials are refused for good: the message waits for the account;
// - the outcome is unknown (no answer after the request went out): a message is held in
//   doubt and never sent again blindly; a tag change (idempotent) is retried;
// - rate limits, 5xx, connection failures, an expired token: retried with exponential
//   backoff and jitter, up to the attempt limit, then failed;
// - anything else the platform refused: failed with its code.
#include "store/outbox_kind.h"

#include "bot/channel.h"
#include "bot/channels/channel.h"
#include "bot/channels/send_result.h"

#include <cstdint>
#include <string>

namespace pheu::bot {

struct RetryPolicy {
    int max_attempts = 6;
    std::int64_t base_delay_ms = 2000;
    std::int64_t max_delay_ms = 15LL * 60 * 1000;
};

// The wait before attempt `attempts + 1`: exponential, capped, and spread by `jitter` (a
// uniform draw from [0, 1)) over its upper half, so failures that happened together do not
// retry together. At least the platform's Retry-After.
std::int64_t retry_delay_ms(const RetryPolicy& policy, int attempts, double jitter,
                            std::optional<std::int64_t> retry_after_ms);

enum class DeliveryAction { sent, retry, fail, skip, fall_back, defer, hold_in_doubt, wait_for_account };

struct DeliveryStep {
    DeliveryAction action = DeliveryAction::fail;
    std::string reason;                                  // for everything but sent
    std::string platform_code;                           // the platform's code, where it gave one
    std::int64_t at_ms = 0;                              // retry: the next attempt; defer: not before
    channels::ZaloRoute route = channels::ZaloRoute::cs; // fall_back: the route to try
};

struct DeliveryFacts {
    Channel channel = Channel::zalo;
    store::OutboxKind kind = store::OutboxKind::message;
    int attempts = 1; // including the call just made
    channels::ZaloRoute route = channels::ZaloRoute::cs;
    bool has_zalo_template = false;
    bool template_by_phone = false; // the mapping says ZNS
    bool has_phone = false;
    bool account_stopped = false;
    std::int64_t morning_ms = 0; // the next 06:00 shop time
};

DeliveryStep plan_delivery(const DeliveryFacts& facts, const channels::SendResult& result, std::int64_t now_ms,
                           const RetryPolicy& policy, double jitter);

} // namespace pheu::bot
