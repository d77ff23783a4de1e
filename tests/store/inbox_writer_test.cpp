#include "store/database.h"
#include "store/inbox_store.h"
#include "store/inbox_writer.h"
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
    TempDir dir;
    const std::string path = dir.file("i.db");
    open_and_migrate(path);
    int commits_seen = 0;
    WriteGate gate;
    InboxWriter writer(path, gate, [&] { ++commits_seen; });
    CHECK(writer.write({record("a"), record("b")}) == std::vector{InsertOutcome::stored, InsertOutcome::stored});
    CHECK(writer.write({record("a"), record("c"), record("c")}) ==
          std::vector{InsertOutcome::duplicate, InsertOutcome::stored, InsertOutcome::duplicate});
    writer.stop();
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == 3);
    CHECK(commits_seen == 2);
    CHECK_THROWS(writer.write({record("d")}));
}

TEST_CASE("concurrent writers are committed together and every one is answered", "[store]") {
    TempDir dir;
    const std::string path = dir.file("c.db");
    open_and_migrate(path);
    WriteGate gate;
    InboxWriter writer(path, gate, {});
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
    open_database(path)->exec("CREATE TRIGGER inject_fault BEFORE INSERT ON inbox_events "
                              "WHEN NEW.dedupe_key = 'boom' BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
    WriteGate gate;
    InboxWriter writer(path, gate, {});
    CHECK_THROWS_WITH(writer.write({record("ok"), record("boom")}), Catch::Matchers::Contains("injected fault"));
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == 0);
    CHECK(writer.write({record("ok")}) == std::vector{InsertOutcome::stored});
}
