#pragma once
// Opening a connection to pheu's SQLite file with the settings every connection needs.
#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

namespace pheu::store {

// Opens (creating if needed) the database with WAL, foreign keys, a busy timeout and
// synchronous=FULL: an acknowledged event must survive a crash of the process and of the
// machine. Each thread that touches the database opens its own connection.
std::unique_ptr<SQLite::Database> open_database(const std::string& path);

// Opens a connection and applies every pending migration. Called once at start-up.
std::unique_ptr<SQLite::Database> open_and_migrate(const std::string& path);

} // namespace pheu::store
