#pragma once
// Prepared statements kept for the life of a repository: the one way SQL is prepared in
// store/. Preparing SQL took 43 % of the processing worker's time (bench/pipeline.sh under
// perf) when every store method prepared its statements on every call; the dispatcher's
// records still did until 2026-12-06. A repository asks its cache, which prepares each
// distinct SQL text once for its connection, so a repository that lives as long as its
// connection prepares each statement once. SQL that is used on every call is best a
// constant built once (`k_..._sql`), not a string assembled per call.
//
// The handle resets its statement when it goes out of scope and unbinds its parameters: a
// statement left in the middle of its rows would keep SQLite's read snapshot open, and the
// connection's next write would fail with SQLITE_BUSY_SNAPSHOT instead of waiting. On
// PostgreSQL each statement is prepared once on the server too. A statement already lent out (a method
// using the same SQL while iterating it) is prepared afresh for the second borrower instead
// of being shared.
#include "store/sql/connection.h"

#include <memory>
#include <string>
#include <unordered_map>

namespace pheu::store {

class StatementCache {
    struct Entry {
        std::unique_ptr<sql::Statement> statement;
        bool lent = false;
    };

public:
    class Handle {
    public:
        Handle(Handle&& other) noexcept
            : m_statement(other.m_statement), m_entry(other.m_entry), m_owned(std::move(other.m_owned)) {
            other.m_statement = nullptr;
            other.m_entry = nullptr;
        }
        Handle(const Handle&) = delete;
        Handle& operator=(const Handle&) = delete;
        Handle& operator=(Handle&&) = delete;
        ~Handle() {
            if (m_entry != nullptr) {
                m_statement->reset();
                m_entry->lent = false;
            }
        }
        sql::Statement* operator->() const { return m_statement; }
        sql::Statement& operator*() const { return *m_statement; }

    private:
        friend class StatementCache;
        explicit Handle(Entry& entry) : m_statement(entry.statement.get()), m_entry(&entry) { entry.lent = true; }
        explicit Handle(std::unique_ptr<sql::Statement> owned) : m_statement(owned.get()), m_owned(std::move(owned)) {}

        sql::Statement* m_statement;
        Entry* m_entry = nullptr;
        std::unique_ptr<sql::Statement> m_owned;
    };

    explicit StatementCache(sql::Connection& db) : m_db(db) {}
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // Which database the statements go to, for the few that differ (store/sql/connection.h).
    sql::Backend backend() const { return m_db.backend(); }

    // The statement for `sql`, ready to bind.
    Handle operator()(const std::string& sql) {
        Entry& entry = m_entries[sql];
        if (!entry.statement) {
            entry.statement = m_db.prepare(sql);
        } else if (entry.lent) {
            return Handle(m_db.prepare(sql));
        }
        return Handle(entry);
    }

private:
    sql::Connection& m_db;
    // Node-based, so entries stay where they are while handles point at them.
    std::unordered_map<std::string, Entry> m_entries;
};

} // namespace pheu::store
