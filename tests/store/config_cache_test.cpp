#include "bot/delivery/attempt_marks.h"
#include "store/migrations.h"
#include "store/config_version.h"
#include "store/database.h"
#include "store/template_store.h"
#include "store/write_gate.h"
#include "tests/support/scratch_database.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using pheu::testing::query_int;
using pheu::testing::TempDir;
using namespace pheu;

TEST_CASE("every write to what the shop configures raises the configuration version", "[store][config]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    store::ConfigVersion version(*db);
    std::int64_t last = version.current();
    const char* writes[] = {
        "INSERT INTO settings (key, value) VALUES ('shop', '{}')",
        "UPDATE settings SET value = '{\"name\":\"Lan\"}' WHERE key = 'shop'",
        "INSERT INTO templates (id, purpose, body, version, updated_at) VALUES ('t', '', 'Chào', 1, 0)",
        "UPDATE templates SET body = 'Chào bạn' WHERE id = 't'",
        "DELETE FROM templates WHERE id = 't'",
        "INSERT INTO products (sku, name, category, price, url, image_url, in_stock, updated_at) "
        "VALUES ('AO-1', 'Áo', 'ao', 1, '', '', 1, 0)",
        "UPDATE products SET in_stock = 0 WHERE sku = 'AO-1'",
        "DELETE FROM products WHERE sku = 'AO-1'",
        "INSERT INTO playbook (id, definition, updated_at) VALUES (1, '{}', 0)",
    };
    for (const char* write : writes) {
        db->execute(write);
        const std::int64_t now = version.current();
        CHECK(now > last);
        last = now;
    }
    // What customers do is not configuration: no reload for it.
    db->execute("INSERT INTO customers (created_at) VALUES (0)");
    CHECK(version.current() == last);
}

TEST_CASE("attempt marks asked for at once are all committed, in shared commits", "[store][delivery]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const std::string path = scratch.target().location;
    auto db = store::open_and_migrate(path);
    db->execute("INSERT INTO customers (created_at) VALUES (0)");
    constexpr int k_messages = 200;
    for (int i = 1; i <= k_messages; ++i) {
        db->execute("INSERT INTO outbox (id, customer_id, kind, channel, idempotency_key, status, trigger, created_at, "
                    "updated_at, sending_since, claimed_by) VALUES (" +
                    std::to_string(i) + ", 1, 'message', 'zalo', 'k" + std::to_string(i) +
                    "', 'queued', 'event:message', 0, 0, 0, 'instance-a')");
    }
    // One row another instance took back and claimed again: its mark is refused here.
    db->execute("UPDATE outbox SET claimed_by = 'instance-b' WHERE id = 7");
    store::WriteGate gate;
    bot::AttemptMarks marks(
        path, gate, [] { return std::int64_t{1234}; }, "instance-a");
    std::atomic<int> refused{0};
    std::vector<std::thread> senders;
    for (int t = 0; t < 8; ++t) {
        senders.emplace_back([&marks, &refused, t] {
            for (int i = 1 + t; i <= k_messages; i += 8) {
                refused += marks.mark(i) ? 0 : 1;
            }
        });
    }
    for (auto& sender : senders) {
        sender.join();
    }
    CHECK(refused == 1);
    CHECK(query_int(path, "SELECT count(*) FROM outbox WHERE attempt_started_at = 1234") == k_messages - 1);
    CHECK(query_int(path, "SELECT count(*) FROM outbox WHERE id = 7 AND attempt_started_at IS NULL") == 1);
}

TEST_CASE("a mark whose commit failed throws, so its message is not sent", "[store][delivery]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const std::string path = scratch.target().location;
    auto db = store::open_and_migrate(path);
    store::WriteGate gate;
    bot::AttemptMarks marks(
        path, gate, [] { return std::int64_t{1}; }, "instance-a");
    // A trigger refusing the update stands in for a storage fault.
    if (scratch.target().backend == store::sql::Backend::sqlite) {
        db->execute("CREATE TRIGGER refuse BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    } else {
        db->execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
                    "'disk says no'; END $$; CREATE TRIGGER refuse BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE "
                    "FUNCTION refuse()");
    }
    db->execute("INSERT INTO customers (created_at) VALUES (0)");
    db->execute(
        "INSERT INTO outbox (id, customer_id, kind, channel, idempotency_key, status, trigger, created_at, updated_at, "
        "sending_since, claimed_by) VALUES (1, 1, 'message', 'zalo', 'k1', 'queued', 'event:message', 0, 0, 0, "
        "'instance-a')");
    CHECK_THROWS_WITH(marks.mark(1), Catch::Contains("disk says no"));
    db->execute(scratch.target().backend == store::sql::Backend::sqlite ? "DROP TRIGGER refuse"
                                                                        : "DROP TRIGGER refuse ON outbox");
    CHECK(marks.mark(1)); // the next group commits again
    CHECK(query_int(path, "SELECT attempt_started_at FROM outbox WHERE id = 1") == 1);
}
