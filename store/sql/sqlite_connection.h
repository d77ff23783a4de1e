#pragma once
// The SQLite driver of store/sql/connection.h: a connection opened with the settings of
// store/database.h (WAL, foreign keys, busy timeout, pheu's SQL functions).
#include "store/sql/connection.h"

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

namespace pheu::store::sql {

class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(const std::string& path);

    Backend backend() const override { return Backend::sqlite; }
    std::unique_ptr<Statement> prepare(const std::string& sql) override;
    void execute(const std::string& sql) override;

    // The SQLiteCpp handle, for the repositories not yet written against Connection.
    SQLite::Database& handle() { return *m_db; }

private:
    std::unique_ptr<SQLite::Database> m_db;
};

} // namespace pheu::store::sql
