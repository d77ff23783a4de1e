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

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

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

    // Parameters count from 1, as in the SQL's order of `?`.
    virtual void bind(int index, std::int64_t value) = 0;
    void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
    virtual void bind(int index, double value) = 0;
    virtual void bind(int index, const std::string& value) = 0;
    void bind(int index, const char* value) { bind(index, std::string(value)); }
    virtual void bind_null(int index) = 0;

    // Runs the statement on the first call, then moves through its rows: true while a row
    // is there to read.
    virtual bool step() = 0;
    // Runs the statement to its end and answers how many rows it changed.
    virtual std::int64_t run() = 0;

    // The current row's columns, counted from 0.
    virtual bool is_null(int column) const = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual double real(int column) const = 0;
    virtual std::string text(int column) const = 0;

    // Ready to run again; the bindings stay until bound anew.
    virtual void reset() = 0;
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
};

// Opens a connection to the configured database. SQLite: the file is created if missing,
// with the settings of store/database.h. PostgreSQL: the URL as libpq reads it; a password
// comes from the URL, PGPASSFILE, PGPASSWORD or PHEU_DATABASE_PASSWORD, and never reaches a
// log or an error message (which name the target through `redacted`).
std::unique_ptr<Connection> open_connection(const DatabaseTarget& target);

// A transaction that rolls back unless committed. A write transaction takes SQLite's write
// lock at once (BEGIN IMMEDIATE), so it never fails half-way for a lock another took.
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
