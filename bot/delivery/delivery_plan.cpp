#include "bot/delivery/delivery_plan.h"

#include <algorithm>

namespace pheu::bot {

using channels::SendOutcome;

namespace {

// "window_closed: zalo -230 User has not interacted…"
std::string reason_of(const DeliveryFacts& facts, const channels::SendResult& result) {
    std::string reason = std::string(channels::send_outcome_id(result.outcome)) + ": " + channel_id(facts.channel);
    if (!result.platform_code.empty()) {
        reason += " " + result.platform_code;
    }
    if (!result.detail.empty()) {
        reason += " " + result.detail;
    }
    return reason;
}

} // namespace

std::int64_t retry_delay_ms(const RetryPolicy& policy, int attempts, double jitter,
                            std::optional<std::int64_t> retry_after_ms) {
    std::int64_t delay = policy.base_delay_ms;
    for (int i = 1; i < attempts && delay < policy.max_delay_ms; ++i) {
        delay *= 2;
    }
    delay = std::min(delay, policy.max_delay_ms);
    const double clamped = std::clamp(jitter, 0.0, 1.0);
    const auto spread = static_cast<std::int64_t>(static_cast<double>(delay / 2) * clamped);
    return std::max(delay - delay / 2 + spread, retry_after_ms.value_or(0));
}

DeliveryStep plan_delivery(const DeliveryFacts& facts, const channels::SendResult& result, std::int64_t now_ms,
                           const RetryPolicy& policy, double jitter) {
    DeliveryStep step;
    step.platform_code = result.platform_code;
    step.reason = reason_of(facts, result);
    const bool message = facts.kind == store::OutboxKind::message;
    switch (result.outcome) {
    case SendOutcome::sent:
        step.action = DeliveryAction::sent;
        step.reason.clear();
        return step;
    case SendOutcome::not_allowed:
        step.action = DeliveryAction::skip;
        step.reason = result.detail;
        return step;
    case SendOutcome::window_closed:
        if (message && facts.channel == Channel::zalo && facts.route == channels::ZaloRoute::cs &&
            facts.has_zalo_template) {
            if (facts.template_by_phone && !facts.has_phone) {
                step.action = DeliveryAction::skip;
                step.reason += " (the ZNS template needs the customer's phone, which is not known)";
                return step;
            }
            step.action = DeliveryAction::fall_back;
            step.route = facts.template_by_phone ? channels::ZaloRoute::zns : channels::ZaloRoute::template_uid;
            return step;
        }
        step.action = DeliveryAction::skip;
        return step;
    case SendOutcome::night_blocked:
        step.action = DeliveryAction::defer;
        step.at_ms = facts.morning_ms;
        return step;
    case SendOutcome::account_stopped:
        step.action = DeliveryAction::wait_for_account;
        return step;
    case SendOutcome::outcome_unknown:
        if (message) {
            step.action = DeliveryAction::hold_in_doubt;
            return step;
        }
        break; // tags and reads are safe to repeat
    case SendOutcome::auth_expired:
        if (facts.account_stopped) {
            step.action = DeliveryAction::wait_for_account;
            return step;
        }
        break;
    case SendOutcome::rate_limited:
    case SendOutcome::server_error:
    case SendOutcome::not_sent:
        break;
    case SendOutcome::permanent:
        step.action = DeliveryAction::fail;
        return step;
    }
    if (facts.attempts >= policy.max_attempts) {
        step.action = DeliveryAction::fail;
        step.reason += " (gave up after " + std::to_string(facts.attempts) + " attempts)";
        return step;
    }
    step.action = DeliveryAction::retry;
    step.at_ms = now_ms + retry_delay_ms(policy, facts.attempts, jitter, result.retry_after_ms);
    return step;
}

} // namespace pheu::bot
