#include "store/migrations.h"
#include "store/database.h"
#include "store/inbox_store.h"
#include "store/inbox_writer.h"
#include "tests/support/scratch_database.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace pheu::store;
using pheu::testing::query_int;
using pheu::testing::TempDir;

namespace {

InboxRecord record(const std::string& key) {
    return InboxRecord{key, "events_api", "", "purchase", 1000, 2000, InboxState::pending, "{}", "{}"};
}

} // namespace

TEST_CASE("the inbox writer stores a record once and reports the redelivery", "[store]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const std::string path = scratch.target().location;
    open_and_migrate(path);
    int commits_seen = 0;
    WriteGate gate;
    UnsettledKeys unsettled;
    InboxWriter writer(path, gate, unsettled, [&] { ++commits_seen; });
    CHECK(writer.write({record("a"), record("b")}) == std::vector{InsertOutcome::stored, InsertOutcome::stored});
    CHECK(writer.write({record("a"), record("c"), record("c")}) ==
          std::vector{InsertOutcome::duplicate, InsertOutcome::stored, InsertOutcome::duplicate});
    writer.stop();
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == 3);
    CHECK(commits_seen == 2);
    CHECK_THROWS(writer.write({record("d")}));
}

TEST_CASE("concurrent writers are committed together and every one is answered", "[store]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const std::string path = scratch.target().location;
    open_and_migrate(path);
    WriteGate gate;
    UnsettledKeys unsettled;
    InboxWriter writer(path, gate, unsettled, {});
    constexpr int k_threads = 16;
    constexpr int k_per_thread = 50;
    std::atomic<int> stored{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < k_per_thread; ++i) {
                // Every key written twice by two different threads: exactly one stores it.
                const std::string key = std::to_string((t / 2) * k_per_thread + i);
                for (auto outcome : writer.write({record(key)})) {
                    stored += outcome == InsertOutcome::stored ? 1 : 0;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    const auto commits = writer.commits();
    writer.stop();
    CHECK(stored == k_threads * k_per_thread / 2);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == k_threads * k_per_thread / 2);
    CHECK(commits <= static_cast<std::uint64_t>(k_threads * k_per_thread));
}

TEST_CASE("a failing batch stores nothing of any request in it", "[store]") {
    TempDir dir;
    const std::string path = dir.file("f.db");
    open_and_migrate(path);
    // A real fault from inside SQLite, injected for one key.
    sql::open_connection(path)->execute(
        "CREATE TRIGGER inject_fault BEFORE INSERT ON inbox_events "
        "WHEN NEW.dedupe_key = 'boom' BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
    WriteGate gate;
    UnsettledKeys unsettled;
    InboxWriter writer(path, gate, unsettled, {});
    CHECK_THROWS_WITH(writer.write({record("ok"), record("boom")}), Catch::Matchers::Contains("injected fault"));
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == 0);
    CHECK(unsettled.size() == 0); // the rolled-back keys are not taken for stored ones
    CHECK(writer.write({record("ok")}) == std::vector{InsertOutcome::stored});
}

// SQLite's own way to find a redelivery: the keys in memory and the settled keys' table
// (store/unsettled_keys.h). PostgreSQL's is its unique key, tested above and in
// processing_worker_test.cpp with two instances.
TEST_CASE("a redelivery is found while pending, once settled and after a restart", "[store]") {
    TempDir dir;
    const std::string path = dir.file("r.db");
    const auto db = open_and_migrate(path);
    WriteGate gate;
    {
        UnsettledKeys unsettled;
        InboxWriter writer(path, gate, unsettled, {});
        CHECK(writer.write({record("a")}) == std::vector{InsertOutcome::stored});
        CHECK(unsettled.contains("a"));
        CHECK(writer.write({record("a")}) == std::vector{InsertOutcome::duplicate});

        // What the worker does: settle the row in a commit, then forget the key.
        InboxStore store(*db);
        CHECK(store.settle("a", 1));
        store.mark_processed(1, std::nullopt, 3000);
        unsettled.remove({"a"});
        CHECK(writer.write({record("a")}) == std::vector{InsertOutcome::duplicate});
        CHECK_FALSE(unsettled.contains("a")); // found in the table, not added back

        CHECK(writer.write({record("b")}) == std::vector{InsertOutcome::stored});
    }
    // A new server: "b" is still pending and only the database knows it.
    UnsettledKeys unsettled;
    InboxWriter writer(path, gate, unsettled, {});
    CHECK(unsettled.size() == 1);
    CHECK(writer.write({record("b"), record("a"), record("c")}) ==
          std::vector{InsertOutcome::duplicate, InsertOutcome::duplicate, InsertOutcome::stored});
    writer.stop();
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == 3);
}

TEST_CASE("a record stored already settled goes straight to the settled keys", "[store]") {
    TempDir dir;
    const std::string path = dir.file("s.db");
    const auto db = open_and_migrate(path);
    WriteGate gate;
    UnsettledKeys unsettled;
    InboxWriter writer(path, gate, unsettled, {});
    InboxRecord rejected = record("r");
    rejected.state = InboxState::rejected;
    CHECK(writer.write({rejected, rejected}) == std::vector{InsertOutcome::stored, InsertOutcome::duplicate});
    CHECK(unsettled.size() == 0);
    CHECK(InboxStore(*db).is_settled("r"));
    // A pending record under a key that is settled is a redelivery too.
    CHECK(writer.write({record("r")}) == std::vector{InsertOutcome::duplicate});
    CHECK(unsettled.size() == 0);
}
