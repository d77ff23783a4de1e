#include "store/backup.h"

#include "store/migrations.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pheu::store {

namespace {

namespace fs = std::filesystem;

constexpr int k_busy_timeout_ms = 10000;

// fsync of a file or directory by path: a rename is durable once its directory is synced.
void sync_path(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw BackupError("cannot open " + path + " to sync it");
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
        throw BackupError("cannot sync " + path + " to disk");
    }
}

std::string directory_of(const std::string& path) {
    const fs::path parent = fs::absolute(path).parent_path();
    return parent.empty() ? "." : parent.string();
}

// Checks `path` is a sound pheu database and counts what it holds.
DatabaseSummary examine(const std::string& path) {
    try {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        db.setBusyTimeout(k_busy_timeout_ms);
        const std::string check = db.execAndGet("PRAGMA quick_check").getString();
        if (check != "ok") {
            throw BackupError(path + " is damaged: " + check);
        }
        DatabaseSummary summary;
        summary.schema_version = db.execAndGet("PRAGMA user_version").getInt();
        if (summary.schema_version < 1 || !db.tableExists("inbox_events") || !db.tableExists("customers")) {
            throw BackupError(path + " is an SQLite database, but not pheu's");
        }
        if (summary.schema_version > latest_schema_version()) {
            throw BackupError(path + " was written by a newer pheu (schema " + std::to_string(summary.schema_version) +
                              ", this one knows " + std::to_string(latest_schema_version()) + ")");
        }
        summary.inbox_events = db.execAndGet("SELECT count(*) FROM inbox_events").getInt64();
        summary.customers = db.execAndGet("SELECT count(*) FROM customers").getInt64();
        summary.messages = db.execAndGet("SELECT count(*) FROM outbox WHERE kind = 'message'").getInt64();
        summary.bytes = static_cast<std::int64_t>(fs::file_size(path));
        return summary;
    } catch (const SQLite::Exception& error) {
        throw BackupError(path + " cannot be read as a database: " + error.what());
    }
}

void remove_quietly(const std::string& path) {
    std::error_code ignored;
    fs::remove(path, ignored);
}

} // namespace

DatabaseSummary backup_database(const std::string& database, const std::string& target) {
    if (!fs::exists(database)) {
        throw BackupError("there is no database at " + database);
    }
    if (fs::exists(target)) {
        throw BackupError(target + " exists already; name a new file");
    }
    const std::string partial = target + ".partial";
    remove_quietly(partial);
    try {
        // Read-write without creating: a reader of a WAL database may need to create the
        // shared-memory file when no server runs.
        SQLite::Database source(database, SQLite::OPEN_READWRITE);
        source.setBusyTimeout(k_busy_timeout_ms);
        {
            SQLite::Database copy(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            SQLite::Backup backup(copy, source);
            backup.executeStep(-1); // every page at once: one snapshot, not restarted by writers
            // A backup is one file, whole in itself, to be moved and kept: no log beside it.
            copy.exec("PRAGMA journal_mode = DELETE");
        }
    } catch (const SQLite::Exception& error) {
        remove_quietly(partial);
        throw BackupError("cannot copy " + database + ": " + error.what());
    }
    DatabaseSummary summary;
    try {
        summary = examine(partial);
        sync_path(partial);
        fs::rename(partial, target);
        sync_path(directory_of(target));
    } catch (...) {
        remove_quietly(partial);
        throw;
    }
    return summary;
}

DatabaseSummary restore_database(const std::string& source, const std::string& database) {
    if (!fs::exists(source)) {
        throw BackupError("there is no backup at " + source);
    }
    const DatabaseSummary summary = examine(source);
    const std::string incoming = database + ".restoring";
    try {
        fs::copy_file(source, incoming, fs::copy_options::overwrite_existing);
        sync_path(incoming);
        // The database being replaced is kept with its log, under names SQLite pairs again.
        const std::string kept = database + ".before-restore";
        for (const char* suffix : {"", "-wal", "-shm"}) {
            remove_quietly(kept + suffix);
            if (fs::exists(database + suffix)) {
                fs::rename(database + suffix, kept + suffix);
            }
        }
        fs::rename(incoming, database);
        sync_path(directory_of(database));
    } catch (const fs::filesystem_error& error) {
        remove_quietly(incoming);
        throw BackupError(std::string("cannot put the backup in place: ") + error.what());
    }
    return summary;
}

} // namespace pheu::store
