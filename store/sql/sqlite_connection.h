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
    SqliteConnection(const std::string& path, Sync sync);

    Backend backend() const override { return Backend::sqlite; }
    std::unique_ptr<Statement> prepare(const std::string& sql) override;
    void execute(const std::string& sql) override;
    void make_commits_durable() override;

    // The SQLiteCpp handle, for what only SQLite has: its log's fsync (store::sync_log),
    // checkpoints, the online backup.
    SQLite::Database& handle() { return *m_db; }

private:
    std::unique_ptr<SQLite::Database> m_db;
};

// The SQLite handle behind `db`, which must be an SQLite connection.
SQLite::Database& sqlite_handle(Connection& db);

} // namespace pheu::store::sql
