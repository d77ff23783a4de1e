#pragma once
// Which database the configuration's "database" names, and how to write it in a log. A
// libpq connection URL (postgresql://… or postgres://…, several hosts allowed) selects
// PostgreSQL; anything else is the path of an SQLite file. Pure: nothing here connects.
#include <string>

namespace pheu::store::sql {

enum class Backend { sqlite, postgresql };

struct DatabaseTarget {
    Backend backend = Backend::sqlite;
    std::string location; // the SQLite path, or the libpq URL as written
};

DatabaseTarget database_target(const std::string& configured);

// The target fit for a log line or an error: a URL's password (user:password@ or a
// password= parameter) is replaced by "***". An SQLite path is returned as it is.
std::string redacted(const DatabaseTarget& target);

} // namespace pheu::store::sql
