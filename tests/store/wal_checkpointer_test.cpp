#include "store/database.h"
#include "store/inbox_writer.h"
#include "store/wal_checkpointer.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace pheu::store;
using pheu::testing::query_int;
using pheu::testing::TempDir;

namespace {

// Frames in the log since it last started over, and how many of them are in the database
// file, as a passive checkpoint of a connection of the test's own reports them.
struct LogFrames {
    int frames = 0;
    int copied = 0;
};

LogFrames log_frames(const std::string& path) {
    auto db = open_database(path);
    LogFrames log;
    REQUIRE(sqlite3_wal_checkpoint_v2(db->getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log.frames, &log.copied) ==
            SQLITE_OK);
    return log;
}

// `count` events of about 3 KB each, one commit: roughly one log page per event.
void write_events(InboxWriter& writer, int count, int first) {
    std::vector<InboxRecord> records;
    for (int i = first; i < first + count; ++i) {
        records.push_back(InboxRecord{"key-" + std::to_string(i), "events_api", "", "purchase", 1000, 2000,
                                      InboxState::processed, "{}", std::string(3000, 'x')});
    }
    writer.write(records);
}

} // namespace

TEST_CASE("connections leave checkpoints to the checkpointer until the log is long", "[store]") {
    TempDir dir;
    const std::string path = dir.file("w.db");
    open_and_migrate(path);
    CHECK(open_database(path)->execAndGet("PRAGMA wal_autocheckpoint").getInt() == 8192);
    WriteGate gate;
    InboxWriter writer(path, gate, {});
    write_events(writer, 2000, 0); // past SQLite's default of 1,000 pages
    // Nothing reached the database file: the commit did not checkpoint by itself.
    CHECK(std::filesystem::file_size(path) < 1'000'000);
    CHECK(log_frames(path).frames > 1000);
    writer.stop();
}

TEST_CASE("the checkpointer copies the log into the database file beside the writer", "[store]") {
    TempDir dir;
    const std::string path = dir.file("c.db");
    open_and_migrate(path);
    WriteGate gate;
    InboxWriter writer(path, gate, {});
    WalCheckpointer checkpointer(path, gate, std::chrono::milliseconds(10));
    write_events(writer, 500, 0);
    REQUIRE(std::filesystem::file_size(path) < 1'000'000);
    checkpointer.checkpoint_once();
    CHECK(checkpointer.checkpoints() == 1);
    CHECK(checkpointer.gated_checkpoints() == 0);        // a short log needs no gate
    CHECK(std::filesystem::file_size(path) > 1'500'000); // 500 events of 3 KB

    SECTION("its thread does the same on its own") {
        checkpointer.start();
        write_events(writer, 100, 500);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (checkpointer.checkpoints() < 2 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        CHECK(checkpointer.checkpoints() >= 2);
        checkpointer.stop();
    }
    writer.stop();
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") >= 500);
}

TEST_CASE("a long log is finished inside the gate so that it starts over", "[store]") {
    TempDir dir;
    const std::string path = dir.file("g.db");
    open_and_migrate(path);
    WriteGate gate;
    InboxWriter writer(path, gate, {});
    WalCheckpointer checkpointer(path, gate, std::chrono::milliseconds(10));
    write_events(writer, WalCheckpointer::k_restart_frames + 500, 0);
    checkpointer.checkpoint_once();
    CHECK(checkpointer.gated_checkpoints() == 1);
    // Everything is copied, so the next commit writes the log from its beginning (without
    // the checkpointer it would hold more than 4,600 frames, short of SQLite's backstop).
    write_events(writer, 10, WalCheckpointer::k_restart_frames + 500);
    CHECK(log_frames(path).frames < 100);
    writer.stop();
}
