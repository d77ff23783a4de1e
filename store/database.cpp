#include "store/database.h"

#include "store/migrations.h"

#include <string>

namespace pheu::store {

namespace {
constexpr int k_busy_timeout_ms = 10000;
// Log pages past which a commit checkpoints on its own connection. SQLite's default, 1,000,
// put a 4 MB copy and a sync into an inbox commit about every tenth of a second under load;
// the server's WalCheckpointer keeps the log shorter than this from its own thread, so this
// is the backstop for when it cannot keep up, and for tools that run without one.
constexpr int k_backstop_checkpoint_pages = 8192;
}

std::unique_ptr<SQLite::Database> open_database(const std::string& path, Sync sync) {
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    db->setBusyTimeout(k_busy_timeout_ms);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec(sync == Sync::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
    db->exec("PRAGMA wal_autocheckpoint=" + std::to_string(k_backstop_checkpoint_pages));
    return db;
}

std::unique_ptr<SQLite::Database> open_and_migrate(const std::string& path) {
    auto db = open_database(path);
    apply_migrations(*db);
    return db;
}

} // namespace pheu::store
