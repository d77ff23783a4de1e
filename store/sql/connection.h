#pragma once
// One connection to pheu's database, SQLite or PostgreSQL, behind one interface: the store's
// repositories are written once against it, and one conformance suite
// (tests/store/sql_conformance_test.cpp) runs the same cases on both backends.
//
// SQL is written with SQLite's `?` parameters; the PostgreSQL driver numbers them. Where
// the two dialects differ, a repository asks `backend()` and says so next to the SQL.
// Values are bound and read as 64-bit integers, doubles, text or NULL, the types both
// backends share; PostgreSQL's booleans read as 1 and 0.
#include "store/sql/database_target.h"
#include "store/sync.h"

#include <concepts>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pheu::store::sql {

// What a caller may do about a failure: the same for both backends.
enum class Failure {
    unique_violation, // a UNIQUE or PRIMARY KEY constraint refused the row
    retry,            // a lock or serialization conflict: run the transaction again
    connection_lost,  // the database is gone; open a new connection (PostgreSQL)
    other,
};

class Error : public std::runtime_error {
public:
    Error(Failure failure, const std::string& message) : std::runtime_error(message), m_failure(failure) {}
    Failure failure() const { return m_failure; }

private:
    Failure m_failure;
};

class Statement {
public:
    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    virtual ~Statement() = default;

    // Parameters count from 1, as in the SQL's order of `?`. Booleans bind as 1 and 0.
    template <std::integral T> void bind(int index, T value) { bind_int64(index, static_cast<std::int64_t>(value)); }
    template <std::floating_point T> void bind(int index, T value) { bind_real(index, static_cast<double>(value)); }
    void bind(int index, std::string_view value) { bind_text(index, value); }
    void bind(int index, const std::string& value) { bind_text(index, value); }
    void bind(int index, const char* value) { bind_text(index, value); }
    virtual void bind_null(int index) = 0;
    // Text that outlives the statement's run, bound without a copy where the backend can.
    virtual void bind_borrowed(int index, std::string_view value) { bind_text(index, value); }
    // A named parameter (`:name` in the SQL; one name may stand in several places).
    template <typename Value> void bind(std::string_view name, const Value& value) {
        bind(parameter_index(name), value);
    }

    // Runs the statement on the first call, then moves through its rows: true while a row
    // is there to read.
    virtual bool step() = 0;
    // Runs the statement to its end and answers how many rows it changed.
    virtual std::int64_t run() = 0;

    // The current row's columns, counted from 0.
    virtual bool is_null(int column) const = 0;
    virtual std::int64_t int64(int column) const = 0;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    virtual double real(int column) const = 0;
    virtual std::string text(int column) const = 0;
    // What the current row holds in a column, for rows read whole (a personal data export).
    enum class Kind { null, integer, real, text };
    virtual Kind kind(int column) const = 0;
    virtual int column_count() const = 0;
    virtual std::string column_name(int column) const = 0;

    // Ready to run again, every parameter unbound (NULL).
    virtual void reset() = 0;

protected:
    // The index of `name` (with its colon), or an Error when the SQL has no such parameter.
    virtual int parameter_index(std::string_view name) const = 0;
    virtual void bind_int64(int index, std::int64_t value) = 0;
    virtual void bind_real(int index, double value) = 0;
    virtual void bind_text(int index, std::string_view value) = 0;
};

class Connection {
public:
    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    virtual ~Connection() = default;

    virtual Backend backend() const = 0;
    virtual std::unique_ptr<Statement> prepare(const std::string& sql) = 0;
    // SQL without parameters, one statement or several separated by `;` (migrations).
    virtual void execute(const std::string& sql) = 0;
    // Makes every transaction committed so far durable before anything rests on it: an
    // SQLite connection opened with Sync::normal commits without an fsync and syncs the log
    // here, outside the write gate (store/database.h, sync_log); PostgreSQL's commits are
    // durable when they return (synchronous_commit), so it has nothing to do.
    virtual void make_commits_durable() {}
};

// Opens a connection to the configured database. SQLite: the file is created if missing,
// with the settings of store/database.h, `sync` among them (PostgreSQL's durability is the
// server's synchronous_commit). PostgreSQL: the URL as libpq reads it; a password
// comes from the URL, PGPASSFILE, PGPASSWORD or PHEU_DATABASE_PASSWORD, and never reaches a
// log or an error message (which name the target through `redacted`).
std::unique_ptr<Connection> open_connection(const DatabaseTarget& target, Sync sync = Sync::full);
// The same for the configuration's "database" as written.
std::unique_ptr<Connection> open_connection(const std::string& configured, Sync sync = Sync::full);

// A transaction that rolls back unless committed. A write transaction takes SQLite's write
// lock at once (BEGIN IMMEDIATE), so it never fails half-way for a lock another took; on
// PostgreSQL it is READ COMMITTED, and what several instances must not do twice is kept
// apart by row locks and unique keys. A read transaction sees one snapshot throughout.
class Transaction {
public:
    enum class Intent { read, write };
    explicit Transaction(Connection& connection, Intent intent = Intent::write);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

private:
    Connection& m_connection;
    bool m_open = true;
};

} // namespace pheu::store::sql
