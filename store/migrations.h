#pragma once
// Numbered schema migrations. A migration is never edited once it has landed: a change to
// the schema is a new number at the end of the list.
#include <SQLiteCpp/Database.h>

namespace pheu::store {

// Applies every migration above the database's `PRAGMA user_version`, each in its own
// transaction, and returns the version reached.
int apply_migrations(SQLite::Database& db);

// The version the code expects once every migration has run.
int latest_schema_version();

} // namespace pheu::store
