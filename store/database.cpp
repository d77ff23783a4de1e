#include "store/database.h"

#include "store/migrations.h"

namespace pheu::store {

namespace {
constexpr int k_busy_timeout_ms = 10000;
}

std::unique_ptr<SQLite::Database> open_database(const std::string& path, Sync sync) {
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    db->setBusyTimeout(k_busy_timeout_ms);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec(sync == Sync::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
    return db;
}

std::unique_ptr<SQLite::Database> open_and_migrate(const std::string& path) {
    auto db = open_database(path);
    apply_migrations(*db);
    return db;
}

} // namespace pheu::store
