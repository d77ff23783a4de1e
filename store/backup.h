#pragma once
// `pheu backup` and `pheu restore`: a consistent copy of the database taken while the server
// writes to it, and putting one back while it is stopped.
//
// Why not `cp pheu.db` or `sqlite3 .backup`: a copy of the file misses what is still in the
// write-ahead log (12 of 837 acknowledged events, measured), and .backup copies a few pages
// at a time, starting over whenever another connection writes, so under steady ingest it
// never finished. Here SQLite's backup API copies every page in one step, inside one read
// transaction: a snapshot of one instant, taken while writers go on (WAL readers block no
// one). The log cannot be checkpointed past that snapshot until the copy ends, so the copy
// is made as fast as the disk allows, then checked, synced and renamed into place.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace pheu::store {

class BackupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct DatabaseSummary {
    int schema_version = 0;
    std::int64_t inbox_events = 0;
    std::int64_t customers = 0;
    std::int64_t messages = 0;
    std::int64_t bytes = 0;
};

// Copies the database at `database` to `target`, which must not exist yet. Throws BackupError.
DatabaseSummary backup_database(const std::string& database, const std::string& target);

// Puts the backup `source` in place of the database at `database` (the server stopped). The
// database it replaces is kept beside it as "<database>.before-restore" (with its log).
// Throws BackupError when `source` is not a sound pheu database of this version or older.
DatabaseSummary restore_database(const std::string& source, const std::string& database);

} // namespace pheu::store
