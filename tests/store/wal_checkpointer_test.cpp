#include "store/database.h"
#include "store/migrations.h"
#include "store/inbox_writer.h"
#include "store/wal_checkpointer.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

using namespace pheu::store;
using pheu::testing::TempDir;

namespace {

std::string migrated(const std::string& path) {
    open_and_migrate(path);
    return path;
}

// A migrated database, its write gate and an inbox writer to fill its log.
struct LoggedDatabase {
    TempDir dir;
    std::string path = migrated(dir.file("w.db"));
    WriteGate gate;
    UnsettledKeys unsettled;
    InboxWriter writer{path, gate, unsettled, {}};

    ~LoggedDatabase() { writer.stop(); }

    // `count` events of about 3 KB each in one commit: roughly one log page per event.
    void write_events(int count, int first) {
        std::vector<InboxRecord> records;
        for (int i = first; i < first + count; ++i) {
            records.push_back(InboxRecord{"key-" + std::to_string(i), "events_api", "", "purchase", 1000, 2000,
                                          InboxState::processed, "{}", std::string(3000, 'x')});
        }
        writer.write(records);
    }

    // Frames in the log since it last started over, as a connection of the test's own sees
    // them (a passive checkpoint, so it copies what it can too).
    int log_frames() const {
        auto db = open_database(path);
        int frames = 0;
        int copied = 0;
        REQUIRE(sqlite3_wal_checkpoint_v2(db->getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied) ==
                SQLITE_OK);
        return frames;
    }

    std::uintmax_t database_file_bytes() const { return std::filesystem::file_size(path); }
};

} // namespace

TEST_CASE("connections leave checkpoints to the checkpointer until the log is long", "[store]") {
    LoggedDatabase database;
    CHECK(open_database(database.path)->execAndGet("PRAGMA wal_autocheckpoint").getInt() == 8192);
    database.write_events(2000, 0); // past SQLite's default of 1,000 pages
    // Nothing reached the database file: the commit did not checkpoint by itself.
    CHECK(database.database_file_bytes() < 1'000'000);
    CHECK(database.log_frames() > 1000);
}

TEST_CASE("the checkpointer copies the log into the database file beside the writer", "[store]") {
    LoggedDatabase database;
    WalCheckpointer checkpointer(database.path, database.gate);
    database.write_events(500, 0);
    REQUIRE(database.database_file_bytes() < 1'000'000);
    checkpointer.checkpoint_once();
    CHECK(checkpointer.checkpoints() == 1);
    CHECK(checkpointer.gated_checkpoints() == 0);      // a short log needs no gate
    CHECK(database.database_file_bytes() > 1'500'000); // 500 events of 3 KB
}

TEST_CASE("a long log is finished inside the gate so that it starts over", "[store]") {
    LoggedDatabase database;
    WalCheckpointer checkpointer(database.path, database.gate);
    database.write_events(WalCheckpointer::k_restart_frames + 500, 0);
    checkpointer.checkpoint_once();
    CHECK(checkpointer.gated_checkpoints() == 1);
    // Everything is copied, so the next commit writes the log from its beginning (without
    // the checkpointer it would hold more than 4,600 frames, short of SQLite's backstop).
    database.write_events(10, WalCheckpointer::k_restart_frames + 500);
    CHECK(database.log_frames() < 100);
}
