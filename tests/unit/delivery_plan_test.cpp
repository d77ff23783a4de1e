#include "bot/delivery/delivery_plan.h"
#include "common/rate_limiter.h"

#include <catch2/catch.hpp>

#include <set>

using namespace pheu::bot;
using channels::SendOutcome;
using channels::SendResult;

namespace {

constexpr std::int64_t k_now = 1'800'000'000'000;

SendResult answer(SendOutcome outcome, const std::string& code = "", const std::string& detail = "") {
    SendResult result;
    result.outcome = outcome;
    result.platform_code = code;
    result.detail = detail;
    return result;
}

DeliveryFacts zalo_message(int attempts = 1) {
    DeliveryFacts facts;
    facts.channel = Channel::zalo;
    facts.kind = pheu::store::OutboxKind::message;
    facts.attempts = attempts;
    facts.morning_ms = k_now + 5 * 3600 * 1000;
    return facts;
}

} // namespace

TEST_CASE("an accepted call is sent and a permanent refusal fails with the platform's code", "[unit][delivery]") {
    const RetryPolicy policy;
    CHECK(plan_delivery(zalo_message(), answer(SendOutcome::sent), k_now, policy, 0.5).action == DeliveryAction::sent);
    const DeliveryStep failed = plan_delivery(
        zalo_message(), answer(SendOutcome::permanent, "-201", "Parameters are invalid"), k_now, policy, 0.5);
    CHECK(failed.action == DeliveryAction::fail);
    CHECK(failed.platform_code == "-201");
    CHECK(failed.reason == "permanent: zalo -201 Parameters are invalid");
}

TEST_CASE("retryable failures back off exponentially with jitter and give up at the attempt limit",
          "[unit][delivery]") {
    const RetryPolicy policy{4, 1000, 60000};
    for (SendOutcome outcome : {SendOutcome::rate_limited, SendOutcome::server_error, SendOutcome::not_sent}) {
        INFO(channels::send_outcome_id(outcome));
        const DeliveryStep first = plan_delivery(zalo_message(1), answer(outcome, "-32"), k_now, policy, 0.0);
        CHECK(first.action == DeliveryAction::retry);
        CHECK(first.at_ms == k_now + 500);
        const DeliveryStep third = plan_delivery(zalo_message(3), answer(outcome, "-32"), k_now, policy, 0.999);
        CHECK(third.action == DeliveryAction::retry);
        CHECK(third.at_ms > k_now + 3900);
        CHECK(third.at_ms <= k_now + 4000);
        const DeliveryStep last = plan_delivery(zalo_message(4), answer(outcome, "-32"), k_now, policy, 0.5);
        CHECK(last.action == DeliveryAction::fail);
        CHECK_THAT(last.reason, Catch::EndsWith("(gave up after 4 attempts)"));
    }
}

TEST_CASE("retry delays are capped, honour Retry-After and spread over time", "[unit][delivery]") {
    const RetryPolicy policy{10, 1000, 8000};
    CHECK(retry_delay_ms(policy, 9, 0.999, std::nullopt) <= 8000);
    CHECK(retry_delay_ms(policy, 9, 0.0, std::nullopt) == 4000);
    CHECK(retry_delay_ms(policy, 1, 0.0, 30000) == 30000);
    std::set<std::int64_t> distinct;
    for (double jitter = 0.0; jitter < 1.0; jitter += 0.1) {
        distinct.insert(retry_delay_ms(policy, 3, jitter, std::nullopt));
    }
    CHECK(distinct.size() >= 9); // failures that happened together do not retry together
}

TEST_CASE("a closed Zalo window falls back to the shop's template, else the message is skipped", "[unit][delivery]") {
    const RetryPolicy policy;
    const SendResult closed = answer(SendOutcome::window_closed, "-230", "User has not interacted in 7 days");
    CHECK(plan_delivery(zalo_message(), closed, k_now, policy, 0.5).action == DeliveryAction::skip);

    DeliveryFacts mapped = zalo_message();
    mapped.has_zalo_template = true;
    const DeliveryStep by_uid = plan_delivery(mapped, closed, k_now, policy, 0.5);
    CHECK(by_uid.action == DeliveryAction::fall_back);
    CHECK(by_uid.route == channels::ZaloRoute::template_uid);

    mapped.template_by_phone = true;
    CHECK(plan_delivery(mapped, closed, k_now, policy, 0.5).action == DeliveryAction::skip); // no phone
    mapped.has_phone = true;
    CHECK(plan_delivery(mapped, closed, k_now, policy, 0.5).route == channels::ZaloRoute::zns);

    // The template itself refused: no second fallback.
    mapped.route = channels::ZaloRoute::zns;
    const DeliveryStep refused = plan_delivery(mapped, closed, k_now, policy, 0.5);
    CHECK(refused.action == DeliveryAction::skip);
    CHECK(refused.platform_code == "-230");
}

TEST_CASE("Zalo's night rule defers to the morning, stopped accounts make messages wait", "[unit][delivery]") {
    const RetryPolicy policy;
    const DeliveryStep night =
        plan_delivery(zalo_message(), answer(SendOutcome::night_blocked, "-234"), k_now, policy, 0.5);
    CHECK(night.action == DeliveryAction::defer);
    CHECK(night.at_ms == zalo_message().morning_ms);
    CHECK(plan_delivery(zalo_message(), answer(SendOutcome::account_stopped, "190"), k_now, policy, 0.5).action ==
          DeliveryAction::wait_for_account);
    DeliveryFacts stopped = zalo_message();
    stopped.account_stopped = true;
    CHECK(plan_delivery(stopped, answer(SendOutcome::auth_expired, "-216"), k_now, policy, 0.5).action ==
          DeliveryAction::wait_for_account);
    CHECK(plan_delivery(zalo_message(), answer(SendOutcome::auth_expired, "-216"), k_now, policy, 0.5).action ==
          DeliveryAction::retry);
}

TEST_CASE("an unknown outcome holds a message in doubt but retries an idempotent tag change", "[unit][delivery]") {
    const RetryPolicy policy;
    CHECK(plan_delivery(zalo_message(), answer(SendOutcome::outcome_unknown, "no_answer"), k_now, policy, 0.5).action ==
          DeliveryAction::hold_in_doubt);
    DeliveryFacts tag = zalo_message();
    tag.kind = pheu::store::OutboxKind::tag;
    CHECK(plan_delivery(tag, answer(SendOutcome::outcome_unknown, "no_answer"), k_now, policy, 0.5).action ==
          DeliveryAction::retry);
}

TEST_CASE("pheu's own refusal is a skip with its reason", "[unit][delivery]") {
    DeliveryFacts messenger = zalo_message();
    messenger.channel = Channel::messenger;
    const DeliveryStep step =
        plan_delivery(messenger, answer(SendOutcome::not_allowed, "", "messenger_window_closed: promotional"), k_now,
                      RetryPolicy{}, 0.5);
    CHECK(step.action == DeliveryAction::skip);
    CHECK(step.reason == "messenger_window_closed: promotional");
}

TEST_CASE("the rate limiter spaces calls evenly after its burst", "[unit][delivery]") {
    pheu::common::RateLimiter limiter(10, 2); // 100 ms apart, two at once after a quiet spell
    const std::int64_t start = 50'000'000;
    CHECK(limiter.reserve(start) == 0);
    CHECK(limiter.reserve(start) == 0);
    CHECK(limiter.reserve(start) == 100'000);
    CHECK(limiter.reserve(start) == 200'000);
    // After a long pause the burst is available again, no more.
    CHECK(limiter.reserve(start + 10'000'000) == 0);
    CHECK(limiter.reserve(start + 10'000'000) == 0);
    CHECK(limiter.reserve(start + 10'000'000) == 100'000);
    // A second instance joined: half the rate each, from the next slot on.
    limiter.set_rate(5);
    CHECK(limiter.reserve(start + 10'000'000) == 200'000);
    CHECK(limiter.reserve(start + 10'000'000) == 400'000);
}
