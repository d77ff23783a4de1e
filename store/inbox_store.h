#pragma once
// SQL over the inbox_events table, on a connection owned by the caller.
#include "store/statement_cache.h"
#include "store/inbox_record.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <vector>

namespace pheu::store {

class InboxStore {
public:
    explicit InboxStore(SQLite::Database& db);

    // Inserts unless a row with the same dedupe key exists. Call inside a transaction when
    // several records must land together.
    InsertOutcome insert(const InboxRecord& record);

    // The oldest pending events in arrival order.
    std::vector<PendingEvent> fetch_pending(int limit);

    void mark_processed(std::int64_t seq, std::optional<std::int64_t> customer_id, std::int64_t now_ms);
    void mark_failed(std::int64_t seq, const std::string& error, std::int64_t now_ms);

    std::int64_t count_in_state(InboxState state);
    // Whether the event stored under `dedupe_key` was processed, and for which customer.
    struct Outcome {
        bool processed = false;
        std::optional<std::int64_t> customer_id;
    };
    std::optional<Outcome> outcome_of(const std::string& dedupe_key);

private:
    StatementCache m_statements;
    SQLite::Statement m_insert;
    SQLite::Statement m_fetch_pending;
    SQLite::Statement m_mark_processed;
    SQLite::Statement m_mark_failed;
};

} // namespace pheu::store
