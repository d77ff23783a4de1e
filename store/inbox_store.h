#pragma once
// SQL over the inbox_events table, on a connection owned by the caller.
#include "store/statement_cache.h"
#include "store/inbox_record.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pheu::store {

class InboxStore {
public:
    explicit InboxStore(sql::Connection& db);

    // Appends the row and returns its seq. On SQLite the inbox is a log: finding a
    // redelivery is the InboxWriter's job (store/unsettled_keys.h).
    std::int64_t append(const InboxRecord& record);
    // PostgreSQL: appends the rows, in their order, except those whose key is stored
    // already, by this instance or another (the key is unique), or came earlier in the same
    // call; says which were stored. A few statements of many rows each, not one per row: on
    // a database across a socket each statement is a round trip. A redelivery racing the
    // first copy's open transaction waits for its commit.
    std::vector<bool> append_new(const std::vector<const InboxRecord*>& records);

    // Rewrites the probe row: a write as real as an event's, storing nothing of consequence.
    void write_probe(std::int64_t at_ms);

    // Whether a row with this key has left 'pending' (its key is in inbox_settled_keys).
    // SQLite's alone, like settle, settled_among and settle_all: on PostgreSQL no key is
    // stored twice, so there is nothing to settle.
    bool is_settled(const std::string& dedupe_key);
    // Records that row `seq` settles its key; false when another row settled it already.
    bool settle(const std::string& dedupe_key, std::int64_t seq);
    // The worker's batch in one statement each: which of these keys rows settled already, and
    // settling these rows' keys (none of them settled before: checked with settled_among).
    std::set<std::string> settled_among(const std::vector<std::string>& keys);
    struct Settlement {
        std::string dedupe_key;
        std::int64_t seq = 0;
    };
    void settle_all(const std::vector<Settlement>& settlements);
    // The keys of the rows still pending, oldest first.
    std::vector<std::string> pending_keys();

    // The oldest pending events in arrival order. On PostgreSQL, inside a write transaction:
    // only those of the lanes (bot/customers/person_lane.h) this call locked until the
    // transaction ends, skipping the lanes other instances' batches hold.
    std::vector<PendingEvent> fetch_pending(int limit);

    void mark_processed(std::int64_t seq, std::optional<std::int64_t> customer_id, std::int64_t now_ms);

    void mark_failed(std::int64_t seq, const std::string& error, std::int64_t now_ms);
    // A copy of an event that another row settled: kept, never applied.
    void mark_duplicate(std::int64_t seq, std::int64_t now_ms);

    std::int64_t count_in_state(InboxState state);
    // Whether the event stored under `dedupe_key` was processed, and for which customer;
    // nothing while it is still pending.
    struct Outcome {
        bool processed = false;
        std::optional<std::int64_t> customer_id;
    };
    std::optional<Outcome> outcome_of(const std::string& dedupe_key);

private:
    sql::Connection& m_db;
    StatementCache m_statements;
};

} // namespace pheu::store
