#include "bot/playbook/send_policy.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;

namespace {

constexpr std::int64_t k_hour = 3600LL * 1000;
const pheu::common::ShopTime k_clock("Asia/Ho_Chi_Minh");

// 2026-11-23 at `hour`:00 in Ho Chi Minh City (UTC+7).
std::int64_t local(int hour) {
    return k_clock.utc_of(pheu::common::LocalDate{2026, 11, 23}, hour * 60);
}

RecipientState zalo_follower() {
    RecipientState state;
    state.on_zalo = true;
    state.zalo_last_interaction_at = local(9);
    return state;
}

const SendRequest k_promotion{true, false, std::nullopt};
const SendRequest k_reply{true, true, Channel::zalo};

} // namespace

TEST_CASE("a promotion in the day goes now and counts toward the caps", "[unit][policy]") {
    const auto decision = decide_send(k_promotion, zalo_follower(), {}, k_clock, local(10));
    CHECK(decision.action == SendAction::send_now);
    CHECK(decision.channel == Channel::zalo);
    CHECK(decision.counts_toward_cap);
    CHECK(decision.reason.empty());
}

TEST_CASE("promotions over the daily or weekly cap are skipped, replies are exempt", "[unit][policy]") {
    RecipientState busy = zalo_follower();
    busy.promotional_last_day = 2;
    busy.promotional_last_week = 2;
    auto decision = decide_send(k_promotion, busy, {}, k_clock, local(10));
    CHECK(decision.action == SendAction::skip);
    CHECK(decision.reason.rfind("daily_cap", 0) == 0);
    busy.promotional_last_day = 1;
    busy.promotional_last_week = 5;
    decision = decide_send(k_promotion, busy, {}, k_clock, local(10));
    CHECK(decision.action == SendAction::skip);
    CHECK(decision.reason.rfind("weekly_cap", 0) == 0);
    decision = decide_send(k_reply, busy, {}, k_clock, local(10));
    CHECK(decision.action == SendAction::send_now);
    CHECK_FALSE(decision.counts_toward_cap);
}

TEST_CASE("promotions in quiet hours are deferred to the morning, not dropped", "[unit][policy]") {
    auto decision = decide_send(k_promotion, zalo_follower(), {}, k_clock, local(23));
    CHECK(decision.action == SendAction::defer);
    CHECK(decision.reason == "quiet_hours");
    CHECK(decision.not_before == local(24 + 6));
    CHECK(decision.counts_toward_cap); // it will be sent, so it holds its place under the cap
    decision = decide_send(k_promotion, zalo_follower(), {}, k_clock, local(3));
    CHECK(decision.not_before == local(6));
    CHECK(decide_send(k_promotion, zalo_follower(), {}, k_clock, local(6)).action == SendAction::send_now);
    // Replies and service messages are answered at night.
    CHECK(decide_send(k_reply, zalo_follower(), {}, k_clock, local(23)).action == SendAction::send_now);
    CHECK(decide_send(SendRequest{false, false, std::nullopt}, zalo_follower(), {}, k_clock, local(23)).action ==
          SendAction::send_now);
    // The shop's own quiet hours.
    SendPolicySettings late_shop;
    late_shop.quiet_start_minute = 23 * 60;
    late_shop.quiet_end_minute = 8 * 60;
    CHECK(decide_send(k_promotion, zalo_follower(), late_shop, k_clock, local(22)).action == SendAction::send_now);
    CHECK(decide_send(k_promotion, zalo_follower(), late_shop, k_clock, local(7)).not_before == local(8));
}

TEST_CASE("opted-out customers get nothing promotional, service messages still go", "[unit][policy]") {
    RecipientState state = zalo_follower();
    state.opted_out = true;
    auto decision = decide_send(k_reply, state, {}, k_clock, local(10));
    CHECK(decision.action == SendAction::skip);
    CHECK(decision.reason == "opted_out");
    CHECK(decide_send(SendRequest{false, true, Channel::zalo}, state, {}, k_clock, local(10)).action ==
          SendAction::send_now);
}

TEST_CASE("unreachable customers are skipped, Messenger only inside its 24-hour window", "[unit][policy]") {
    RecipientState nobody;
    auto decision = decide_send(k_promotion, nobody, {}, k_clock, local(10));
    CHECK(decision.action == SendAction::skip);
    CHECK(decision.channel == std::nullopt);
    CHECK(decision.reason.rfind("unreachable", 0) == 0);

    RecipientState messenger_only;
    messenger_only.on_messenger = true;
    messenger_only.messenger_last_interaction_at = local(10) - 23 * k_hour;
    CHECK(decide_send(k_promotion, messenger_only, {}, k_clock, local(10)).channel == Channel::messenger);
    messenger_only.messenger_last_interaction_at = local(10) - 25 * k_hour;
    decision = decide_send(k_promotion, messenger_only, {}, k_clock, local(10));
    CHECK(decision.action == SendAction::skip);
    CHECK(decision.reason.find("24-hour") != std::string::npos);
}

TEST_CASE("the channel is the reply's own, else the one the customer used last", "[unit][policy]") {
    RecipientState both = zalo_follower();
    both.on_messenger = true;
    both.messenger_last_interaction_at = local(9) + k_hour;
    CHECK(choose_channel(k_promotion, both, local(11)) == Channel::messenger);
    CHECK(choose_channel(k_reply, both, local(11)) == Channel::zalo);
    both.messenger_last_interaction_at = local(9) - k_hour;
    CHECK(choose_channel(k_promotion, both, local(11)) == Channel::zalo);
}

TEST_CASE("a staff handoff silences replies and delays other messages", "[unit][policy]") {
    RecipientState state = zalo_follower();
    state.silenced_until = local(11);
    auto decision = decide_send(k_reply, state, {}, k_clock, local(10));
    CHECK(decision.action == SendAction::skip);
    CHECK(decision.reason.rfind("human_handoff", 0) == 0);
    decision = decide_send(k_promotion, state, {}, k_clock, local(10));
    CHECK(decision.action == SendAction::defer);
    CHECK(decision.not_before == local(11));
    // A handoff ending in quiet hours waits for the morning too.
    state.silenced_until = local(22) + k_hour / 2;
    CHECK(decide_send(k_promotion, state, {}, k_clock, local(22)).not_before == local(24 + 6));
    CHECK(decide_send(k_reply, state, {}, k_clock, local(23)).action == SendAction::send_now);
}

TEST_CASE("messages for a Mini App shopper not linked to the OA wait for the link, after the usual checks",
          "[unit][policy]") {
    RecipientState shopper;
    shopper.awaiting_oa_link = true;
    const SendPolicySettings settings;
    const SendDecision waits = decide_send({true, false, std::nullopt}, shopper, settings, k_clock, local(10));
    CHECK(waits.action == SendAction::defer);
    CHECK(waits.channel == Channel::zalo);
    CHECK(waits.not_before == k_until_released);
    CHECK(waits.reason.rfind(k_waiting_for_oa_link, 0) == 0);
    CHECK(waits.counts_toward_cap);

    shopper.opted_out = true;
    CHECK(decide_send({true, false, std::nullopt}, shopper, settings, k_clock, local(10)).reason == "opted_out");
    CHECK(decide_send({false, false, std::nullopt}, shopper, settings, k_clock, local(10)).action == SendAction::defer);
    shopper.opted_out = false;
    shopper.promotional_last_day = settings.daily_cap;
    CHECK(
        decide_send({true, false, std::nullopt}, shopper, settings, k_clock, local(10)).reason.rfind("daily_cap", 0) ==
        0);
}

TEST_CASE("the sandbox decides Zalo's 7-day window as live would", "[unit][send_policy]") {
    using namespace pheu::bot;
    const std::int64_t now = 100LL * 24 * 3600 * 1000;
    RecipientState recent;
    recent.on_zalo = true;
    recent.zalo_last_interaction_at = now - 6LL * 24 * 3600 * 1000;
    CHECK(sandbox_zalo_outcome(recent, false, now).delivered);
    CHECK(sandbox_zalo_outcome(recent, false, now).reason.empty());
    RecipientState silent = recent;
    silent.zalo_last_interaction_at = now - 8LL * 24 * 3600 * 1000;
    CHECK_FALSE(sandbox_zalo_outcome(silent, false, now).delivered);
    CHECK(sandbox_zalo_outcome(silent, true, now).delivered);
    CHECK(sandbox_zalo_outcome(silent, true, now).reason.rfind("zalo_template", 0) == 0);
    RecipientState never = recent;
    never.zalo_last_interaction_at.reset();
    CHECK_FALSE(sandbox_zalo_outcome(never, false, now).delivered);
}

TEST_CASE("a staff reply goes where a window is open, the channel used last when both are", "[unit][policy]") {
    const std::int64_t now = local(12);
    RecipientState both = zalo_follower(); // wrote on Zalo at 9:00
    both.on_messenger = true;
    both.messenger_last_interaction_at = local(10);
    CHECK(staff_reply_channel(both, now) == Channel::messenger);
    both.messenger_last_interaction_at = local(8);
    CHECK(staff_reply_channel(both, now) == Channel::zalo);
    // Opted out and in quiet hours still answered: a person is talking to them.
    RecipientState stopped = zalo_follower();
    stopped.opted_out = true;
    CHECK(staff_reply_channel(stopped, local(23)) == Channel::zalo);
    // Past Zalo's 7 days and Messenger's 24 hours, nothing would carry it.
    CHECK_FALSE(staff_reply_channel(both, now + 8 * 24 * k_hour));
    RecipientState unfollowed = zalo_follower();
    unfollowed.on_zalo = false;
    CHECK_FALSE(staff_reply_channel(unfollowed, now));
    CHECK_FALSE(staff_reply_channel(RecipientState{}, now));
}
