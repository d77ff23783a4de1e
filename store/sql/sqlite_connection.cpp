#include "store/sql/sqlite_connection.h"

#include "store/database.h"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

namespace pheu::store::sql {

namespace {

Error translated(const SQLite::Exception& error) {
    const int code = error.getExtendedErrorCode();
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return {Failure::unique_violation, error.what()};
    }
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
        return {Failure::retry, error.what()};
    }
    return {Failure::other, error.what()};
}

// Runs `call`, its SQLite errors as the connection layer's.
template <typename Call> auto guarded(Call call) {
    try {
        return call();
    } catch (const SQLite::Exception& error) {
        throw translated(error);
    }
}

class SqliteStatement final : public Statement {
public:
    SqliteStatement(SQLite::Database& db, const std::string& sql) : m_statement(db, sql) {}

    void bind(int index, std::int64_t value) override {
        guarded([&] { m_statement.bind(index, static_cast<int64_t>(value)); });
    }
    void bind(int index, double value) override {
        guarded([&] { m_statement.bind(index, value); });
    }
    void bind(int index, const std::string& value) override {
        guarded([&] { m_statement.bind(index, value); });
    }
    void bind_null(int index) override {
        guarded([&] { m_statement.bind(index); });
    }

    bool step() override {
        return guarded([&] { return m_statement.executeStep(); });
    }
    std::int64_t run() override {
        return guarded([&] {
            m_statement.exec();
            return static_cast<std::int64_t>(m_statement.getChanges());
        });
    }

    bool is_null(int column) const override { return m_statement.isColumnNull(column); }
    std::int64_t int64(int column) const override { return m_statement.getColumn(column).getInt64(); }
    double real(int column) const override { return m_statement.getColumn(column).getDouble(); }
    std::string text(int column) const override { return m_statement.getColumn(column).getString(); }

    void reset() override { m_statement.tryReset(); }

private:
    SQLite::Statement m_statement;
};

} // namespace

SqliteConnection::SqliteConnection(const std::string& path) : m_db(guarded([&] { return open_database(path); })) {}

std::unique_ptr<Statement> SqliteConnection::prepare(const std::string& sql) {
    return guarded([&]() -> std::unique_ptr<Statement> { return std::make_unique<SqliteStatement>(*m_db, sql); });
}

void SqliteConnection::execute(const std::string& sql) {
    guarded([&] { m_db->exec(sql); });
}

} // namespace pheu::store::sql
