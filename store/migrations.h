#pragma once
// Numbered schema migrations. A migration is never edited once it has landed: a change to
// the schema is a new number at the end of the list.
#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

namespace pheu::store {

namespace sql {
class Connection;
}

// Brings the database behind `db` to the latest version, whichever backend it is: SQLite's
// migrations below, or PostgreSQL's files (store/postgres_migrations.h) under an advisory
// lock. Returns the version reached.
int migrate(sql::Connection& db);

// Opens a connection to the configured database ("database": an SQLite path or a
// postgresql:// URL) and migrates it. Called once at start-up, and by tests.
std::unique_ptr<sql::Connection> open_and_migrate(const std::string& configured);

// Applies every migration above the database's `PRAGMA user_version` up to `target` (the
// latest unless a test stops earlier to build an older file), each in its own transaction,
// and returns the version reached.
int apply_migrations(SQLite::Database& db);
int apply_migrations(SQLite::Database& db, int target);

// The version the code expects once every migration has run.
int latest_schema_version();

} // namespace pheu::store
