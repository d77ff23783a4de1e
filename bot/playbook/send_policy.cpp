#include "bot/playbook/send_policy.h"

namespace pheu::bot {

namespace {

bool messenger_open(const RecipientState& recipient, std::int64_t now) {
    return recipient.on_messenger && recipient.messenger_last_interaction_at &&
           now - *recipient.messenger_last_interaction_at <= k_messenger_window_ms;
}

// The end of the quiet hours containing `at`, or `at` itself outside them.
std::int64_t after_quiet_hours(std::int64_t at, const SendPolicySettings& settings, const common::ShopTime& clock) {
    if (!in_quiet_hours(clock.local_minute_of_day(at), settings)) {
        return at;
    }
    return clock.next_local_time(at, settings.quiet_end_minute);
}

} // namespace

bool in_quiet_hours(int minute_of_day, const SendPolicySettings& settings) {
    const int start = settings.quiet_start_minute;
    const int end = settings.quiet_end_minute;
    if (start == end) {
        return false;
    }
    if (start < end) {
        return minute_of_day >= start && minute_of_day < end;
    }
    return minute_of_day >= start || minute_of_day < end;
}

std::optional<Channel> choose_channel(const SendRequest& request, const RecipientState& recipient, std::int64_t now) {
    if (request.routed_channel) {
        return request.routed_channel;
    }
    const bool zalo = recipient.on_zalo;
    const bool messenger = messenger_open(recipient, now);
    if (request.reply) {
        if (request.reply_channel == Channel::zalo && zalo) {
            return Channel::zalo;
        }
        if (request.reply_channel == Channel::messenger && messenger) {
            return Channel::messenger;
        }
    }
    if (zalo && messenger) {
        const std::int64_t zalo_at = recipient.zalo_last_interaction_at.value_or(0);
        return *recipient.messenger_last_interaction_at > zalo_at ? Channel::messenger : Channel::zalo;
    }
    if (zalo) {
        return Channel::zalo;
    }
    return messenger ? std::optional<Channel>(Channel::messenger) : std::nullopt;
}

SendDecision decide_send(const SendRequest& request, const RecipientState& recipient,
                         const SendPolicySettings& settings, const common::ShopTime& clock, std::int64_t now) {
    SendDecision decision;
    decision.channel = choose_channel(request, recipient, now);
    // A Mini App shopper's OA chat opens once they are linked: every other rule applies now.
    const bool awaiting_link = !decision.channel && recipient.awaiting_oa_link;
    if (awaiting_link) {
        decision.channel = Channel::zalo;
    }
    if (!decision.channel) {
        decision.reason = recipient.on_messenger
                              ? "unreachable: the Messenger 24-hour window is closed and no Zalo follower id is known"
                              : "unreachable: no Zalo follower id or open Messenger conversation";
        return decision;
    }
    if (recipient.opted_out && request.promotional) {
        decision.reason = "opted_out";
        return decision;
    }
    std::int64_t send_at = now;
    if (recipient.silenced_until && *recipient.silenced_until > now) {
        if (request.reply) {
            decision.reason = "human_handoff: shop staff are answering this customer";
            return decision;
        }
        send_at = *recipient.silenced_until;
        decision.reason = "human_handoff";
    }
    if (request.promotional && !request.reply) {
        if (recipient.promotional_last_day >= settings.daily_cap) {
            decision.reason = "daily_cap: " + std::to_string(settings.daily_cap) + " promotional messages in 24 hours";
            return decision;
        }
        if (recipient.promotional_last_week >= settings.weekly_cap) {
            decision.reason = "weekly_cap: " + std::to_string(settings.weekly_cap) + " promotional messages in 7 days";
            return decision;
        }
        decision.counts_toward_cap = true;
        if (const std::int64_t morning = after_quiet_hours(send_at, settings, clock); morning != send_at) {
            send_at = morning;
            decision.reason = "quiet_hours";
        }
    }
    if (awaiting_link) {
        decision.action = SendAction::defer;
        decision.not_before = k_until_released;
        decision.reason = std::string(k_waiting_for_oa_link) +
                          ": the Mini App shopper is not linked to an OA follower yet; sent once they are";
        return decision;
    }
    if (send_at > now) {
        decision.action = SendAction::defer;
        decision.not_before = send_at;
        return decision;
    }
    decision.action = SendAction::send_now;
    decision.reason.clear();
    return decision;
}

RecipientState recipient_state_of(const store::AudienceRow& audience) {
    RecipientState state;
    state.opted_out = audience.opted_out;
    state.on_zalo = audience.zalo.has_value() && !audience.unfollowed;
    if (audience.zalo) {
        state.zalo_last_interaction_at = audience.zalo->last_interaction_at;
    }
    state.on_messenger = audience.messenger.has_value();
    if (audience.messenger) {
        state.messenger_last_interaction_at = audience.messenger->last_interaction_at;
    }
    state.silenced_until = audience.silenced_until;
    state.awaiting_oa_link = audience.zalo_app && !audience.zalo && !audience.messenger;
    state.promotional_last_day = audience.capped_last_day;
    state.promotional_last_week = audience.capped_last_week;
    return state;
}

bool zalo_window_open(const RecipientState& recipient, std::int64_t now) {
    return recipient.zalo_last_interaction_at && now - *recipient.zalo_last_interaction_at <= k_zalo_window_ms;
}

std::optional<Channel> staff_reply_channel(const RecipientState& recipient, std::int64_t now) {
    const bool zalo = recipient.on_zalo && zalo_window_open(recipient, now);
    const bool messenger = messenger_open(recipient, now);
    if (zalo && messenger) {
        return *recipient.messenger_last_interaction_at > *recipient.zalo_last_interaction_at ? Channel::messenger
                                                                                              : Channel::zalo;
    }
    if (zalo) {
        return Channel::zalo;
    }
    return messenger ? std::optional(Channel::messenger) : std::nullopt;
}

SandboxOutcome sandbox_zalo_outcome(const RecipientState& recipient, bool has_zalo_template, std::int64_t now) {
    if (zalo_window_open(recipient, now)) {
        return {};
    }
    if (has_zalo_template) {
        return {.delivered = true,
                .reason = "zalo_template: outside Zalo's 7-day window, live sends the shop's mapped Zalo template"};
    }
    return {.delivered = false,
            .reason = "outside_window: no interaction with the OA in 7 days and no Zalo template mapped; live "
                      "delivery would be refused (-230)"};
}

} // namespace pheu::bot
