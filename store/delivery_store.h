#pragma once
// SQL of delivery: the dispatcher's claims and results over the outbox, and what the
// platforms report back about pheu's sends (echoes, delivery and read receipts).
//
// A row is claimed (sending_since set, committed with an fsync) before it waits for its
// account's rate limit, and marked attempted (attempt_started_at, fsynced too) just before
// its request may be written to the socket; its result clears both. A message attempted by
// a process that died, or whose call timed out after the request went out, is "in doubt": it
// may have reached the customer, so it is never sent again; the platform's echo settles it as
// sent, or it ends failed once the grace period passes. A message claimed but not attempted
// when its process died never left: it goes back to the queue.
#include "store/outbox_kind.h"
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pheu::store {

struct DeliveryRow {
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    OutboxKind kind = OutboxKind::message;
    std::string channel;
    std::string account_id;
    std::string recipient;
    std::string trigger;
    std::string template_id;
    std::string text;
    std::string payload_json = "{}";
    bool promotional = false;
    int attempts = 0;
    std::string idempotency_key;
    bool was_held = false; // it waited (quiet hours, caps, the OA link, handoff) before coming due
    // What the send needs to know of the customer now.
    bool opted_out = false;
    std::optional<std::int64_t> last_interaction_at; // on this channel identity
    std::string phone;                               // 84… or empty
};

struct ClaimedRow {
    std::int64_t id = 0;
    OutboxKind kind = OutboxKind::message;
    bool attempted = false; // its request may have gone out
};

class DeliveryStore {
public:
    explicit DeliveryStore(sql::Connection& db);

    // Queued rows whose time has come and that nobody is sending, leaving out the accounts
    // named in `stopped_accounts` ("zalo:<oa id>", "messenger:<page id>"): what a shopper
    // waits for (messages, profile reads) oldest first, then the tags, oldest first.
    std::vector<DeliveryRow> due(std::int64_t now_ms, int limit, const std::vector<std::string>& stopped_accounts);
    // Claimed by `instance` (store/instances.h).
    void claim(std::int64_t id, std::int64_t now_ms, const std::string& instance);
    // Rows claimed by a process that is gone, never `self`'s: on SQLite (one process serves
    // the file) every other claim; on PostgreSQL, those of instances whose heartbeat stopped,
    // locked until the transaction ends.
    std::vector<ClaimedRow> claims_of_gone_instances(const std::string& self);
    // The rows `self` itself holds claimed: after a commit whose outcome the database never
    // told (the connection was lost), some may be claims this instance has no job for.
    std::vector<ClaimedRow> claims_of(const std::string& self);
    // Gives a claim up without a result (the call was never made, or an idempotent change).
    void release(std::int64_t id, std::int64_t now_ms);
    // A claim whose call was never made, given up: the row is queued as if never claimed.
    void return_unattempted(std::int64_t id, std::int64_t now_ms);
    // Just before claimed rows' requests may be written (committed by the caller, fsynced;
    // bot/delivery/attempt_marks.h commits them in groups): the rows `instance` still holds,
    // which alone may go out.
    std::set<std::int64_t> mark_attempted(const std::vector<std::int64_t>& ids, std::int64_t now_ms,
                                          const std::string& instance);

    // sent, or sandboxed when the sandbox transport recorded it, with what it cost the shop.
    void record_sent(std::int64_t id, OutboxStatus status, const std::string& platform_message_id,
                     const std::string& via, std::int64_t cost_vnd, std::int64_t now_ms);
    void record_retry(std::int64_t id, std::int64_t next_attempt_at, const std::string& reason,
                      const std::string& platform_code, std::int64_t now_ms);
    void record_deferred(std::int64_t id, std::int64_t not_before, const std::string& reason, std::int64_t now_ms);
    // failed or skipped, with the platform's code where there is one.
    void record_final(std::int64_t id, OutboxStatus status, const std::string& reason, const std::string& platform_code,
                      std::int64_t now_ms);
    // A follower detail read: the display name where the customer has none, and the avatar.
    void record_follower_profile(std::int64_t customer_id, const std::string& display_name,
                                 const std::string& avatar_url);
    // The customer's messages waiting for their Zalo profile become due now. Returns how many.
    int release_waiting_for_profile(std::int64_t customer_id, std::int64_t now_ms);
    // A message rendered again just before it goes (the follower's name is now known).
    void update_text(std::int64_t id, const std::string& text, std::int64_t now_ms);
    void record_in_doubt(std::int64_t id, const std::string& reason, std::int64_t now_ms);
    // In-doubt messages older than `before_ms` end failed with `reason`; returns how many.
    int fail_doubts_older_than(std::int64_t before_ms, const std::string& reason, std::int64_t now_ms);

    // A failed or skipped message queued again at a person's request (the console's retry):
    // false unless it is a failed or skipped message that was rendered for a channel.
    bool requeue(std::int64_t id, std::int64_t now_ms);

    // An echo of a message pheu sent, by the platform's id: true when it is one of ours.
    bool note_echo(const std::string& channel, const std::string& platform_message_id, std::int64_t at_ms);
    // An echo that settles a message whose send is unconfirmed: in doubt, or still claimed
    // (the call in flight, or its process gone and the restart not yet past it: the crash
    // battery saw echoes arrive in that gap and found 24 of 20,000 delivered messages left
    // failed as unknown). By outbox id (Messenger carries it in the metadata pheu sets) or by
    // recipient and exact text (Zalo echoes carry no metadata). A result recorded after it
    // never sends the message again: the dispatcher claims only rows still 'queued'.
    bool settle_doubt_by_id(std::int64_t id, const std::string& platform_message_id, std::int64_t at_ms);
    bool settle_doubt_by_text(const std::string& channel, const std::string& account_id, const std::string& recipient,
                              const std::string& text, const std::string& platform_message_id, std::int64_t at_ms);

    void mark_delivered(const std::string& channel, const std::vector<std::string>& platform_message_ids,
                        std::int64_t at_ms);
    void mark_seen(const std::string& channel, const std::vector<std::string>& platform_message_ids,
                   std::int64_t at_ms);
    // Messenger's watermarks: every message sent to `recipient` up to `watermark_ms`.
    void mark_delivered_until(const std::string& channel, const std::string& recipient, std::int64_t watermark_ms);
    void mark_seen_until(const std::string& channel, const std::string& recipient, std::int64_t watermark_ms);
    // A ZNS receipt names the outbox row through the tracking id pheu gave it.
    void mark_delivered_by_id(std::int64_t id, std::int64_t at_ms);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
