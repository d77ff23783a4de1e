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
    case InboxState::duplicate:
        return "duplicate";
    }
    return "pending";
}

InboxStore::InboxStore(SQLite::Database& db)
    : m_db(db), m_statements(db),
      m_append(db, "INSERT INTO inbox_events (dedupe_key, source, account_id, kind, occurred_at, "
                   "received_at, state, event, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      m_is_settled(db, "SELECT 1 FROM inbox_settled_keys WHERE dedupe_key = ?"),
      m_settle(db, "INSERT INTO inbox_settled_keys (dedupe_key, seq) VALUES (?, ?) ON CONFLICT DO NOTHING"),
      m_fetch_pending(db,
                      "SELECT seq, source, dedupe_key, event, received_at FROM inbox_events WHERE state = 'pending' "
                      "ORDER BY seq LIMIT ?"),
      // Marked at once, not with the batch: an event's customer is what later events of the
      // batch read (has the customer written before?) and what a merge re-points.
      m_mark_processed(db, "UPDATE inbox_events SET state = 'processed', customer_id = ?, "
                           "processed_at = ? WHERE seq = ?"),
      m_mark_failed(db, "UPDATE inbox_events SET state = 'failed', error = ?, processed_at = ? "
                        "WHERE seq = ?") {}

std::int64_t InboxStore::append(const InboxRecord& record) {
    // tryReset, not reset: reset() rethrows the previous step's error, so one failed batch
    // would poison every later insert on this statement.
    m_append.tryReset();
    m_append.bind(1, record.dedupe_key);
    m_append.bind(2, record.source);
    m_append.bind(3, record.account_id);
    m_append.bind(4, record.kind);
    m_append.bind(5, static_cast<int64_t>(record.occurred_at_ms));
    m_append.bind(6, static_cast<int64_t>(record.received_at_ms));
    m_append.bind(7, to_string(record.state));
    m_append.bindNoCopy(8, record.event);
    m_append.bindNoCopy(9, record.raw);
    m_append.exec();
    return m_db.getLastInsertRowid();
}

void InboxStore::write_probe(std::int64_t at_ms) {
    SQLite::Statement upsert(
        m_db, "INSERT INTO inbox_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at");
    upsert.bind(1, static_cast<int64_t>(at_ms));
    upsert.exec();
}

bool InboxStore::is_settled(const std::string& dedupe_key) {
    m_is_settled.tryReset();
    m_is_settled.bindNoCopy(1, dedupe_key);
    const bool found = m_is_settled.executeStep();
    // Reset at once: a statement left on its row keeps the connection's read snapshot open
    // past the commit, and the writer's next transaction would look at that old snapshot.
    m_is_settled.tryReset();
    return found;
}

bool InboxStore::settle(const std::string& dedupe_key, std::int64_t seq) {
    m_settle.tryReset();
    m_settle.bindNoCopy(1, dedupe_key);
    m_settle.bind(2, static_cast<int64_t>(seq));
    return m_settle.exec() == 1;
}

std::set<std::string> InboxStore::settled_among(const std::vector<std::string>& keys) {
    std::set<std::string> settled;
    if (keys.empty()) {
        return settled;
    }
    auto query = m_statements("SELECT dedupe_key FROM inbox_settled_keys WHERE dedupe_key IN (" +
                              placeholder_list(keys.size()) + ")");
    int index = 0;
    for (const auto& key : keys) {
        query->bindNoCopy(++index, key);
    }
    while (query->executeStep()) {
        settled.insert(query->getColumn(0).getString());
    }
    return settled;
}

void InboxStore::settle_all(const std::vector<Settlement>& settlements) {
    if (settlements.empty()) {
        return;
    }
    auto insert = m_statements("INSERT INTO inbox_settled_keys (dedupe_key, seq) VALUES " +
                               placeholder_rows(settlements.size(), 2) + " ON CONFLICT DO NOTHING");
    int index = 0;
    for (const auto& settlement : settlements) {
        insert->bindNoCopy(++index, settlement.dedupe_key);
        insert->bind(++index, static_cast<int64_t>(settlement.seq));
    }
    insert->exec();
}

std::vector<std::string> InboxStore::pending_keys() {
    std::vector<std::string> keys;
    auto query = m_statements("SELECT dedupe_key FROM inbox_events WHERE state = 'pending' ORDER BY seq");
    while (query->executeStep()) {
        keys.push_back(query->getColumn(0).getString());
    }
    return keys;
}

std::vector<PendingEvent> InboxStore::fetch_pending(int limit) {
    std::vector<PendingEvent> events;
    m_fetch_pending.tryReset();
    m_fetch_pending.bind(1, limit);
    while (m_fetch_pending.executeStep()) {
        events.push_back(PendingEvent{.seq = m_fetch_pending.getColumn(0).getInt64(),
                                      .source = m_fetch_pending.getColumn(1).getString(),
                                      .dedupe_key = m_fetch_pending.getColumn(2).getString(),
                                      .event = m_fetch_pending.getColumn(3).getString(),
                                      .received_at_ms = m_fetch_pending.getColumn(4).getInt64()});
    }
    return events;
}

void InboxStore::mark_processed(std::int64_t seq, std::optional<std::int64_t> customer_id, std::int64_t now_ms) {
    m_mark_processed.tryReset();
    bind_optional_int(m_mark_processed, 1, customer_id);
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

void InboxStore::mark_duplicate(std::int64_t seq, std::int64_t now_ms) {
    auto mark = m_statements("UPDATE inbox_events SET state = 'duplicate', processed_at = ? WHERE seq = ?");
    mark->bind(1, static_cast<int64_t>(now_ms));
    mark->bind(2, static_cast<int64_t>(seq));
    mark->exec();
}

std::int64_t InboxStore::count_in_state(InboxState state) {
    auto count = m_statements("SELECT count(*) FROM inbox_events WHERE state = ?");
    count->bind(1, to_string(state));
    count->executeStep();
    return count->getColumn(0).getInt64();
}

std::optional<InboxStore::Outcome> InboxStore::outcome_of(const std::string& dedupe_key) {
    auto query = m_statements("SELECT event.state = 'processed', event.customer_id FROM inbox_settled_keys AS settled "
                              "JOIN inbox_events AS event ON event.seq = settled.seq WHERE settled.dedupe_key = ?");
    query->bind(1, dedupe_key);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return Outcome{query->getColumn(0).getInt() != 0, optional_int(query->getColumn(1))};
}

} // namespace pheu::store
