#include "store/sql/sqlite_connection.h"

#include "store/database.h"

#include <SQLiteCpp/Exception.h>
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

// On SQLite's C interface: SQLiteCpp's Statement hides its handle, and its Column holds a
// shared pointer copied on every read.
class SqliteStatement final : public Statement {
public:
    SqliteStatement(SQLite::Database& db, const std::string& sql) : m_db(db.getHandle()) {
        const int prepared = sqlite3_prepare_v2(m_db, sql.c_str(), static_cast<int>(sql.size()), &m_handle, nullptr);
        if (prepared != SQLITE_OK) {
            throw failure(prepared);
        }
    }
    ~SqliteStatement() override { sqlite3_finalize(m_handle); }

    void bind_null(int index) override { check_bind(sqlite3_bind_null(m_handle, index)); }
    void bind_borrowed(int index, std::string_view value) override {
        check_bind(sqlite3_bind_text64(m_handle, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8));
    }

    bool step() override {
        const int stepped = sqlite3_step(m_handle);
        if (stepped == SQLITE_ROW) {
            return true;
        }
        if (stepped == SQLITE_DONE) {
            return false;
        }
        throw failure(stepped);
    }
    std::int64_t run() override {
        while (step()) {
        }
        return sqlite3_changes64(m_db);
    }

    bool is_null(int column) const override { return sqlite3_column_type(m_handle, column) == SQLITE_NULL; }
    std::int64_t int64(int column) const override { return sqlite3_column_int64(m_handle, column); }
    double real(int column) const override { return sqlite3_column_double(m_handle, column); }
    std::string text(int column) const override {
        const auto* text = sqlite3_column_text(m_handle, column);
        if (text == nullptr) {
            return {};
        }
        return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(m_handle, column))};
    }
    Kind kind(int column) const override {
        switch (sqlite3_column_type(m_handle, column)) {
        case SQLITE_NULL:
            return Kind::null;
        case SQLITE_INTEGER:
            return Kind::integer;
        case SQLITE_FLOAT:
            return Kind::real;
        default:
            return Kind::text;
        }
    }
    int column_count() const override { return sqlite3_column_count(m_handle); }
    std::string column_name(int column) const override { return sqlite3_column_name(m_handle, column); }

    // sqlite3_reset answers the last step's error again; that error was thrown already.
    void reset() override {
        sqlite3_reset(m_handle);
        sqlite3_clear_bindings(m_handle);
    }

protected:
    int parameter_index(std::string_view name) const override {
        const int index = sqlite3_bind_parameter_index(m_handle, std::string(name).c_str());
        if (index == 0) {
            throw Error(Failure::other, "SQLite: no parameter " + std::string(name) + " in the statement");
        }
        return index;
    }
    void bind_int64(int index, std::int64_t value) override {
        check_bind(sqlite3_bind_int64(m_handle, index, static_cast<sqlite3_int64>(value)));
    }
    void bind_real(int index, double value) override { check_bind(sqlite3_bind_double(m_handle, index, value)); }
    void bind_text(int index, std::string_view value) override {
        check_bind(sqlite3_bind_text64(m_handle, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    }

private:
    Error failure(int result) const {
        const int extended = sqlite3_extended_errcode(m_db);
        const std::string message = std::string("SQLite: ") + sqlite3_errmsg(m_db);
        if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
            return {Failure::unique_violation, message};
        }
        if ((result & 0xff) == SQLITE_BUSY || (result & 0xff) == SQLITE_LOCKED) {
            return {Failure::retry, message};
        }
        return {Failure::other, message};
    }
    void check_bind(int result) const {
        if (result != SQLITE_OK) {
            throw Error(Failure::other, std::string("SQLite: ") + sqlite3_errstr(result));
        }
    }

    sqlite3* m_db;
    sqlite3_stmt* m_handle = nullptr;
};

} // namespace

SqliteConnection::SqliteConnection(const std::string& path, Sync sync)
    : m_db(guarded([&] { return open_database(path, sync); })) {}

std::unique_ptr<Statement> SqliteConnection::prepare(const std::string& sql) {
    return guarded([&]() -> std::unique_ptr<Statement> { return std::make_unique<SqliteStatement>(*m_db, sql); });
}

void SqliteConnection::execute(const std::string& sql) {
    guarded([&] { m_db->exec(sql); });
}

void SqliteConnection::make_commits_durable() {
    guarded([&] { sync_log(*m_db); });
}

SQLite::Database& sqlite_handle(Connection& db) {
    return static_cast<SqliteConnection&>(db).handle();
}

} // namespace pheu::store::sql
