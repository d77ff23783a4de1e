#pragma once
// SQL over the outbox: every outbound message or tag change is first a row here, with an
// idempotency key, and only then a send.
#include "store/outbox_kind.h"

#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct OutboxItem {
    std::int64_t customer_id = 0;
    OutboxKind kind = OutboxKind::message;
    std::string channel; // zalo | messenger | none
    std::string account_id;
    std::string recipient;
    std::string idempotency_key;
    OutboxStatus status = OutboxStatus::queued;
    std::string reason;
    std::string trigger;
    std::string template_id;
    std::string text;
    std::string payload_json = "{}";
    std::optional<std::int64_t> not_before; // a queued message waits until then (quiet hours, handoff)
    bool counts_toward_cap = false;         // a promotional message that is not a reply
    bool promotional = false;
};

class OutboxStore {
public:
    explicit OutboxStore(sql::Connection& db);
    // False when an item with the same idempotency key exists already.
    bool enqueue(const OutboxItem& item, std::int64_t now_ms);
    // When the customer was last sent (or is about to be sent) a message of this template:
    // rows skipped or failed do not count. For answers that depend on what pheu asked.
    std::optional<std::int64_t> last_sent_at(std::int64_t customer_id, const std::string& template_id);
    // Messages that waited for a Mini App shopper's link to an OA follower: addressed to the
    // follower and due now. Returns how many.
    int release_waiting_for_link(std::int64_t customer_id, const std::string& account_id,
                                 const std::string& zalo_user_id, std::int64_t now_ms);
    // Rows waiting to be sent, for the metrics.
    std::int64_t count_queued();

private:
    StatementCache m_statements;
};

} // namespace pheu::store
