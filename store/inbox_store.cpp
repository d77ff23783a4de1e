#include "store/inbox_store.h"

#include "store/sql_helpers.h"

#include <string>
#include <string_view>
#include <unordered_set>

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

namespace {

constexpr const char* k_insert_sql = "INSERT INTO inbox_events (dedupe_key, source, account_id, kind, occurred_at, "
                                     "received_at, state, event, raw, lane) VALUES ";
constexpr int k_record_columns = 10;
constexpr const char* k_record_values = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const std::string k_append_sql = std::string(k_insert_sql) + k_record_values + " RETURNING seq";

// A record's values, bound from parameter `first` on in k_insert_sql's column order. The
// event and the raw body outlive the statement's run.
void bind_record(sql::Statement& statement, int first, const InboxRecord& record) {
    statement.bind(first, record.dedupe_key);
    statement.bind(first + 1, record.source);
    statement.bind(first + 2, record.account_id);
    statement.bind(first + 3, record.kind);
    statement.bind(first + 4, record.occurred_at_ms);
    statement.bind(first + 5, record.received_at_ms);
    statement.bind(first + 6, to_string(record.state));
    statement.bind_borrowed(first + 7, record.event);
    statement.bind_borrowed(first + 8, record.raw);
    statement.bind(first + 9, record.lane);
}

// The rows one statement of append_new takes: the largest that fits what is left, from a few
// sizes, so that few statements stay prepared.
constexpr std::size_t k_append_sizes[] = {64, 16, 4, 1};

std::string append_new_sql(std::size_t rows) {
    std::string sql = k_insert_sql;
    for (std::size_t row = 0; row < rows; ++row) {
        sql += row == 0 ? "" : ", ";
        sql += k_record_values;
    }
    return sql + " ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key";
}
const std::string k_is_settled_sql = "SELECT 1 FROM inbox_settled_keys WHERE dedupe_key = ?";
const std::string k_settle_sql =
    "INSERT INTO inbox_settled_keys (dedupe_key, seq) VALUES (?, ?) ON CONFLICT DO NOTHING";
const std::string k_fetch_pending_sql =
    "SELECT seq, source, dedupe_key, event, received_at FROM inbox_events WHERE state = 'pending' "
    "ORDER BY seq LIMIT ?";
// Several instances: the lanes holding the oldest pending events that no other instance's
// batch holds, locked until this batch commits. A lane is taken whole, so a person's next
// event waits for the batch deciding the one before it; the oldest first, so no lane waits
// behind busier ones. Their events are read by a statement of their own: its snapshot is
// taken once the locks are held, so it sees what the lanes' last holder committed (read in
// the locking statement, an event another instance just decided still looked pending, and
// was decided twice).
const std::string k_lock_lanes_sql = R"sql(
SELECT l.lane FROM worker_lanes l
CROSS JOIN LATERAL (SELECT e.seq FROM inbox_events e WHERE e.state = 'pending' AND e.lane = l.lane
                    ORDER BY e.seq LIMIT 1) AS oldest
ORDER BY oldest.seq LIMIT ? FOR UPDATE OF l SKIP LOCKED
)sql";
// How many lanes one batch holds: a quarter, so up to four instances decide side by side.
constexpr int k_lanes_per_batch = k_worker_lanes / 4;
// Marked at once, not with the batch: an event's customer is what later events of the
// batch read (has the customer written before?) and what a merge re-points.
const std::string k_mark_processed_sql = "UPDATE inbox_events SET state = 'processed', customer_id = ?, "
                                         "processed_at = ? WHERE seq = ?";
const std::string k_mark_failed_sql = "UPDATE inbox_events SET state = 'failed', error = ?, processed_at = ? "
                                      "WHERE seq = ?";

} // namespace

InboxStore::InboxStore(sql::Connection& db) : m_db(db), m_statements(db) {}

std::int64_t InboxStore::append(const InboxRecord& record) {
    auto append_statement = m_statements(k_append_sql);
    bind_record(*append_statement, 1, record);
    append_statement->step();
    return append_statement->int64(0);
}

std::vector<bool> InboxStore::append_new(const std::vector<const InboxRecord*>& records) {
    std::vector<bool> stored(records.size(), false);
    // A key twice in one call: the first is the event, the rest its redeliveries.
    std::vector<std::size_t> firsts;
    std::unordered_set<std::string_view> seen;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (seen.insert(records[i]->dedupe_key).second) {
            firsts.push_back(i);
        }
    }
    for (std::size_t next = 0; next < firsts.size();) {
        std::size_t rows = 1;
        for (const std::size_t size : k_append_sizes) {
            if (size <= firsts.size() - next) {
                rows = size;
                break;
            }
        }
        auto statement = m_statements(append_new_sql(rows));
        for (std::size_t row = 0; row < rows; ++row) {
            bind_record(*statement, static_cast<int>(row) * k_record_columns + 1, *records[firsts[next + row]]);
        }
        std::unordered_set<std::string> inserted;
        while (statement->step()) {
            inserted.insert(statement->text(0));
        }
        for (std::size_t row = 0; row < rows; ++row) {
            const std::size_t index = firsts[next + row];
            stored[index] = inserted.contains(records[index]->dedupe_key);
        }
        next += rows;
    }
    return stored;
}

void InboxStore::write_probe(std::int64_t at_ms) {
    auto upsert =
        m_statements("INSERT INTO inbox_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at");
    upsert->bind(1, static_cast<int64_t>(at_ms));
    upsert->run();
}

bool InboxStore::is_settled(const std::string& dedupe_key) {
    auto is_settled_statement = m_statements(k_is_settled_sql);
    is_settled_statement->bind_borrowed(1, dedupe_key);
    return is_settled_statement->step();
}

bool InboxStore::settle(const std::string& dedupe_key, std::int64_t seq) {
    auto settle_statement = m_statements(k_settle_sql);
    settle_statement->bind_borrowed(1, dedupe_key);
    settle_statement->bind(2, static_cast<int64_t>(seq));
    return settle_statement->run() == 1;
}

std::set<std::string> InboxStore::settled_among(const std::vector<std::string>& keys) {
    std::set<std::string> settled;
    if (keys.empty() || m_db.backend() == sql::Backend::postgresql) {
        return settled;
    }
    auto query = m_statements("SELECT dedupe_key FROM inbox_settled_keys WHERE dedupe_key IN (" +
                              placeholder_list(keys.size()) + ")");
    int index = 0;
    for (const auto& key : keys) {
        query->bind_borrowed(++index, key);
    }
    while (query->step()) {
        settled.insert(query->text(0));
    }
    return settled;
}

void InboxStore::settle_all(const std::vector<Settlement>& settlements) {
    if (settlements.empty() || m_db.backend() == sql::Backend::postgresql) {
        return;
    }
    auto insert = m_statements("INSERT INTO inbox_settled_keys (dedupe_key, seq) VALUES " +
                               placeholder_rows(settlements.size(), 2) + " ON CONFLICT DO NOTHING");
    int index = 0;
    for (const auto& settlement : settlements) {
        insert->bind_borrowed(++index, settlement.dedupe_key);
        insert->bind(++index, static_cast<int64_t>(settlement.seq));
    }
    insert->run();
}

std::vector<std::string> InboxStore::pending_keys() {
    std::vector<std::string> keys;
    auto query = m_statements("SELECT dedupe_key FROM inbox_events WHERE state = 'pending' ORDER BY seq");
    while (query->step()) {
        keys.push_back(query->text(0));
    }
    return keys;
}

std::vector<PendingEvent> InboxStore::fetch_pending(int limit) {
    // One SQLite writer decides every event in order; PostgreSQL's instances share lanes.
    std::vector<std::int64_t> lanes;
    if (m_db.backend() == sql::Backend::postgresql) {
        auto lock = m_statements(k_lock_lanes_sql);
        lock->bind(1, k_lanes_per_batch);
        while (lock->step()) {
            lanes.push_back(lock->int64(0));
        }
        if (lanes.empty()) {
            return {};
        }
    }
    auto fetch_pending_statement =
        m_statements(lanes.empty() ? k_fetch_pending_sql
                                   : "SELECT seq, source, dedupe_key, event, received_at FROM inbox_events "
                                     "WHERE state = 'pending' AND lane IN (" +
                                         placeholder_list(lanes.size()) + ") ORDER BY seq LIMIT ?");
    std::vector<PendingEvent> events;
    int index = 0;
    for (const std::int64_t lane : lanes) {
        fetch_pending_statement->bind(++index, lane);
    }
    fetch_pending_statement->bind(++index, limit);
    while (fetch_pending_statement->step()) {
        events.push_back(PendingEvent{.seq = fetch_pending_statement->int64(0),
                                      .source = fetch_pending_statement->text(1),
                                      .dedupe_key = fetch_pending_statement->text(2),
                                      .event = fetch_pending_statement->text(3),
                                      .received_at_ms = fetch_pending_statement->int64(4)});
    }
    return events;
}

void InboxStore::mark_processed(std::int64_t seq, std::optional<std::int64_t> customer_id, std::int64_t now_ms) {
    auto mark_processed_statement = m_statements(k_mark_processed_sql);
    bind_optional_int(*mark_processed_statement, 1, customer_id);
    mark_processed_statement->bind(2, static_cast<int64_t>(now_ms));
    mark_processed_statement->bind(3, static_cast<int64_t>(seq));
    mark_processed_statement->run();
}

void InboxStore::mark_failed(std::int64_t seq, const std::string& error, std::int64_t now_ms) {
    auto mark_failed_statement = m_statements(k_mark_failed_sql);
    mark_failed_statement->bind(1, error);
    mark_failed_statement->bind(2, static_cast<int64_t>(now_ms));
    mark_failed_statement->bind(3, static_cast<int64_t>(seq));
    mark_failed_statement->run();
}

void InboxStore::mark_duplicate(std::int64_t seq, std::int64_t now_ms) {
    auto mark = m_statements("UPDATE inbox_events SET state = 'duplicate', processed_at = ? WHERE seq = ?");
    mark->bind(1, static_cast<int64_t>(now_ms));
    mark->bind(2, static_cast<int64_t>(seq));
    mark->run();
}

std::int64_t InboxStore::count_in_state(InboxState state) {
    auto count = m_statements("SELECT count(*) FROM inbox_events WHERE state = ?");
    count->bind(1, to_string(state));
    count->step();
    return count->int64(0);
}

std::optional<InboxStore::Outcome> InboxStore::outcome_of(const std::string& dedupe_key) {
    // SQLite settles keys in a table of their own; PostgreSQL's inbox key is unique.
    auto query = m_statements(
        m_db.backend() == sql::Backend::sqlite
            ? "SELECT event.state = 'processed', event.customer_id FROM inbox_settled_keys AS settled "
              "JOIN inbox_events AS event ON event.seq = settled.seq WHERE settled.dedupe_key = ?"
            : "SELECT state = 'processed', customer_id FROM inbox_events WHERE dedupe_key = ? AND state <> 'pending'");
    query->bind(1, dedupe_key);
    if (!query->step()) {
        return std::nullopt;
    }
    return Outcome{query->int32(0) != 0, optional_int(*query, 1)};
}

} // namespace pheu::store
