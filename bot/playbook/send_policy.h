#pragma once
// The send policy: whether a message the playbook chose goes out now, waits, or is not sent
// at all, and on which channel. Pure: the recipient's state, the shop's policy settings and
// the current time in; a decision out.
#include "bot/channel.h"
#include "bot/channels/platform_windows.h"
#include "common/shop_time.h"
#include "store/audience_store.h"

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::bot {

struct SendPolicySettings {
    int daily_cap = 2;                 // promotional messages per customer in any 24 hours…
    int weekly_cap = 5;                // …and in any 7 days (replies to the customer are exempt)
    int quiet_start_minute = 22 * 60;  // promotional messages wait from 22:00…
    int quiet_end_minute = 6 * 60;     // …until 06:00, shop time
    std::int64_t handoff_minutes = 60; // silence after shop staff answer a customer themselves
};

// What kind of message is asked for.
struct SendRequest {
    bool promotional = true; // offers, tips, reminders; false for confirmations, menus, shop info
    bool reply = false;      // answers the customer's own message or action, just now
    std::optional<Channel> reply_channel = std::nullopt; // for replies: the channel the customer used
    // A channel already chosen for the message: a broadcast's cheapest route, which reaches a
    // customer known by phone alone through ZNS.
    std::optional<Channel> routed_channel = std::nullopt;
};

// Where the customer can be reached, and what they asked of us.
struct RecipientState {
    bool opted_out = false;
    bool on_zalo = false; // a Zalo id of a follower who has not unfollowed
    std::optional<std::int64_t> zalo_last_interaction_at;
    bool on_messenger = false;
    std::optional<std::int64_t> messenger_last_interaction_at;
    std::optional<std::int64_t> silenced_until; // shop staff took over the conversation
    // A Mini App shopper not yet linked to an OA follower: messages wait for the link.
    bool awaiting_oa_link = false;
    int promotional_last_day = 0; // sent or waiting, counted toward the caps
    int promotional_last_week = 0;
};

enum class SendAction { send_now, defer, skip };

struct SendDecision {
    SendAction action = SendAction::skip;
    std::optional<Channel> channel; // none: no channel is open
    std::int64_t not_before = 0;    // for defer
    std::string reason;             // for skip and defer, a snake_case cause and its detail
    bool counts_toward_cap = false; // a promotional message that is not a reply
};

// What the send policy reads of the customer (store::AudienceRow holds it all).
RecipientState recipient_state_of(const store::AudienceRow& audience);

bool zalo_window_open(const RecipientState& recipient, std::int64_t now);

// Where a person at the shop's one-off reply from the console goes: the channel whose window
// is open (Zalo's 7 days for a follower, Messenger's 24 hours), the one the shopper used last
// when both are; none when neither is. Opt-out and quiet hours do not hold it back: it is a
// person answering, not a promotion.
std::optional<Channel> staff_reply_channel(const RecipientState& recipient, std::int64_t now);

// What the sandbox records for a message on Zalo, so that it shows what live would do: sent
// as is within the window, as the shop's template outside it when one is mapped, else not
// delivered. The reason is empty for a plain send.
struct SandboxOutcome {
    bool delivered = true;
    std::string reason{};
};
SandboxOutcome sandbox_zalo_outcome(const RecipientState& recipient, bool has_zalo_template, std::int64_t now);

// The channel a message would go out on: a reply's own channel where it is open, else the
// open channel the customer used last. None when no channel is open.
std::optional<Channel> choose_channel(const SendRequest& request, const RecipientState& recipient, std::int64_t now);

// Messages for a Mini App shopper wait, queued with this reason, until an OA webhook names
// both ids; then they go out on the OA (PlaybookRunner releases them).
inline constexpr const char* k_waiting_for_oa_link = "waiting_for_oa_link";
inline constexpr std::int64_t k_until_released = 9'000'000'000'000'000'000;

// Checks, in order: a channel is open (or, for a Mini App shopper, will be once linked); an opted-out customer gets
// nothing promotional; a conversation staff took over gets no automatic reply, and other messages wait for it to end;
// promotional messages that are not replies keep under the caps and wait out quiet hours.
SendDecision decide_send(const SendRequest& request, const RecipientState& recipient,
                         const SendPolicySettings& settings, const common::ShopTime& clock, std::int64_t now);

// True when `minute_of_day` falls in the quiet hours (which may wrap midnight).
bool in_quiet_hours(int minute_of_day, const SendPolicySettings& settings);

} // namespace pheu::bot
