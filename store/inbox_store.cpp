#include "store/inbox_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

const char* to_string(InboxState state) {
    switch (state) {
    case InboxState::pending:
        return "pending";
    case InboxState::processed:
        return "processed";
    case InboxState::failed:
        return "failed";
    case InboxState::rejected:
        return "rejected";
    }
    return "pending";
}

InboxStore::InboxStore(SQLite::Database& db)
    : m_statements(db), m_insert(db, "INSERT INTO inbox_events (dedupe_key, source, account_id, kind, occurred_at, "
                                     "received_at, state, event, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                     "ON CONFLICT (dedupe_key) DO NOTHING"),
      m_fetch_pending(db, "SELECT seq, source, event FROM inbox_events WHERE state = 'pending' "
                          "ORDER BY seq LIMIT ?"),
      m_mark_processed(db, "UPDATE inbox_events SET state = 'processed', customer_id = ?, "
                           "processed_at = ? WHERE seq = ?"),
      m_mark_failed(db, "UPDATE inbox_events SET state = 'failed', error = ?, processed_at = ? "
                        "WHERE seq = ?") {}

InsertOutcome InboxStore::insert(const InboxRecord& record) {
    // tryReset, not reset: reset() rethrows the previous step's error, so one failed batch
    // would poison every later insert on this statement.
    m_insert.tryReset();
    m_insert.bind(1, record.dedupe_key);
    m_insert.bind(2, record.source);
    m_insert.bind(3, record.account_id);
    m_insert.bind(4, record.kind);
    m_insert.bind(5, static_cast<int64_t>(record.occurred_at_ms));
    m_insert.bind(6, static_cast<int64_t>(record.received_at_ms));
    m_insert.bind(7, to_string(record.state));
    m_insert.bindNoCopy(8, record.event);
    m_insert.bindNoCopy(9, record.raw);
    return m_insert.exec() == 1 ? InsertOutcome::stored : InsertOutcome::duplicate;
}

std::vector<PendingEvent> InboxStore::fetch_pending(int limit) {
    std::vector<PendingEvent> events;
    m_fetch_pending.tryReset();
    m_fetch_pending.bind(1, limit);
    while (m_fetch_pending.executeStep()) {
        events.push_back(PendingEvent{m_fetch_pending.getColumn(0).getInt64(), m_fetch_pending.getColumn(1).getString(),
                                      m_fetch_pending.getColumn(2).getString()});
    }
    return events;
}

void InboxStore::mark_processed(std::int64_t seq, std::optional<std::int64_t> customer_id, std::int64_t now_ms) {
    m_mark_processed.tryReset();
    if (customer_id) {
        m_mark_processed.bind(1, static_cast<int64_t>(*customer_id));
    } else {
        m_mark_processed.bind(1);
    }
    m_mark_processed.bind(2, static_cast<int64_t>(now_ms));
    m_mark_processed.bind(3, static_cast<int64_t>(seq));
    m_mark_processed.exec();
}

void InboxStore::mark_failed(std::int64_t seq, const std::string& error, std::int64_t now_ms) {
    m_mark_failed.tryReset();
    m_mark_failed.bind(1, error);
    m_mark_failed.bind(2, static_cast<int64_t>(now_ms));
    m_mark_failed.bind(3, static_cast<int64_t>(seq));
    m_mark_failed.exec();
}

std::int64_t InboxStore::count_in_state(InboxState state) {
    auto count = m_statements("SELECT count(*) FROM inbox_events WHERE state = ?");
    count->bind(1, to_string(state));
    count->executeStep();
    return count->getColumn(0).getInt64();
}

std::optional<InboxStore::Outcome> InboxStore::outcome_of(const std::string& dedupe_key) {
    auto query = m_statements("SELECT state = 'processed', customer_id FROM inbox_events WHERE dedupe_key = ?");
    query->bind(1, dedupe_key);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return Outcome{query->getColumn(0).getInt() != 0, optional_int(query->getColumn(1))};
}

} // namespace pheu::store
