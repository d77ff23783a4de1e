#pragma once
// PostgreSQL's schema migrations: the files of store/postgres/, named by the schema
// version they bring the database to (031_baseline.sql, then 032_….sql), compiled in by
// CMake. The numbers are SQLite's (store/migrations.h): a version means the same schema on
// both backends.
#include <string_view>
#include <vector>

namespace pheu::store {

namespace sql {
class Connection;
}

struct PostgresMigrationFile {
    std::string_view name; // "031_baseline.sql"
    std::string_view text;
};

const std::vector<PostgresMigrationFile>& postgres_migration_files();

// Brings the database to the latest version in one transaction, under an advisory lock:
// several pheu instances starting at once against one database migrate it once, and the
// others wait, then find it done. Returns the version reached.
int apply_postgres_migrations(sql::Connection& db);

} // namespace pheu::store
