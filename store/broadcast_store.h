#pragma once
// SQL over broadcasts: a template sent to a segment on the shop's initiative, walked through
// its audience in customer id order, and what each of its messages became.
#include "store/statement_cache.h"
#include "store/template_variant.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pheu::store {

enum class BroadcastStatus { scheduled, sending, paused, done, cancelled };
const char* broadcast_status_id(BroadcastStatus status);
std::optional<BroadcastStatus> parse_broadcast_status(std::string_view id);

// What the shop asks for.
struct BroadcastDraft {
    std::string name;
    std::int64_t segment_id = 0;
    std::string template_id;
    std::string campaign = {}; // a voucher campaign each recipient gets a code of, or empty
    std::int64_t send_at = 0;
    int holdout_percent = 0;
    std::optional<std::int64_t> budget_vnd = std::nullopt;
    bool respect_caps = true; // the send policy's promotional caps hold unless the shop says otherwise
    // 2 to 4 templates tried against each other, each customer getting one by weight;
    // empty: template_id for everyone.
    std::vector<TemplateVariant> variants = {};
};

struct Broadcast {
    std::int64_t id = 0;
    BroadcastDraft draft;
    BroadcastStatus status = BroadcastStatus::scheduled;
    std::optional<std::string> filter_json; // the segment's filter, copied when sending starts
    std::int64_t audience = 0;              // the segment's count when sending started, then those decided
    std::int64_t reserved_vnd = 0;          // the expected cost of every message written so far
    std::int64_t next_customer = 0;         // customers with a smaller id are decided
    bool all_decided = false;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::optional<std::int64_t> started_at;
    std::optional<std::int64_t> finished_at;
};

// What the broadcast's messages became, from the outbox.
struct BroadcastResults {
    std::int64_t decided = 0;
    std::int64_t held_out = 0;
    std::int64_t sent = 0; // accepted by the platform (or recorded by the sandbox)
    std::int64_t skipped = 0;
    std::int64_t failed = 0;
    std::int64_t waiting = 0;  // queued for delivery
    std::int64_t cost_vnd = 0; // of the messages sent
};

// A variant's share of the results: its messages by template.
struct VariantResults {
    std::string template_id;
    std::int64_t decided = 0;
    std::int64_t sent = 0;
    std::int64_t skipped = 0;
};

// One message as the outbox holds it: a test send's answer to the shop.
struct WrittenMessage {
    std::string status;
    std::string channel;
    std::string reason;
    std::string text;
};

class BroadcastStore {
public:
    explicit BroadcastStore(sql::Connection& db);

    std::int64_t create(const BroadcastDraft& draft, std::int64_t now);
    std::optional<Broadcast> get(std::int64_t id);
    std::vector<Broadcast> list();
    // Moves the broadcast to `to` when its status is one of `from`; false otherwise.
    bool move(std::int64_t id, const std::vector<BroadcastStatus>& from, BroadcastStatus to, std::int64_t now);
    // True when a broadcast not finished names the segment.
    bool segment_in_use(std::int64_t segment_id);

    // True when a broadcast is sending or due to start: the sender's one read while idle.
    bool any_active(std::int64_t now);
    // Scheduled broadcasts whose moment came, oldest first; on PostgreSQL locked until the
    // transaction ends, skipping those another instance is starting.
    std::vector<std::int64_t> due_to_start(std::int64_t now);
    void start(std::int64_t id, const std::string& filter_json, std::int64_t audience, std::int64_t now);
    // The sending broadcast with customers still to decide (the oldest), if any; on
    // PostgreSQL locked until the transaction ends, skipping one another instance decides.
    std::optional<Broadcast> next_to_decide();
    // Sending broadcasts whose every customer is decided.
    std::vector<std::int64_t> fully_decided();
    // Messages of the broadcast still queued for delivery.
    std::int64_t waiting(std::int64_t id);

    // Ties the message just written under `idempotency_key` to the broadcast. False when
    // the customer was decided before (nothing written).
    bool record_send(std::int64_t id, std::int64_t customer_id, const std::string& idempotency_key,
                     const std::string& route, std::int64_t cost_vnd);
    void advance(std::int64_t id, std::int64_t next_customer, std::int64_t reserved_vnd, bool all_decided,
                 std::int64_t now);
    // Done: every message has its outcome. The audience becomes the customers decided.
    void finish(std::int64_t id, std::int64_t now);
    // Cancelled: its messages still waiting (not claimed for sending, not in doubt) are
    // skipped with `reason`. Returns how many.
    int skip_waiting(std::int64_t id, const std::string& reason, std::int64_t now);

    BroadcastResults results(std::int64_t id);
    std::vector<VariantResults> results_by_template(std::int64_t id);
    std::optional<WrittenMessage> message(const std::string& idempotency_key);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
