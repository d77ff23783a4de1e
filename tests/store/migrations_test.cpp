#include "store/database.h"
#include "store/migrations.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include <string>

using namespace pheu::store;
using pheu::testing::query_int;
using pheu::testing::TempDir;

namespace {

// These tests are SQLite's own migrations, on its file: PostgreSQL's schema is checked in
// postgres_schema_test.cpp.
std::unique_ptr<SQLite::Database> migrated_sqlite(const std::string& path) {
    auto db = open_database(path);
    apply_migrations(*db);
    return db;
}

// How many temporary b-trees the statement's program opens: SQLite 3.40 builds one per
// row to check `x IN (three or more values)`.
int ephemeral_tables_in(SQLite::Database& db, const std::string& sql) {
    SQLite::Statement explain(db, "EXPLAIN " + sql);
    int count = 0;
    while (explain.executeStep()) {
        count += explain.getColumn(1).getString() == "OpenEphemeral" ? 1 : 0;
    }
    return count;
}

} // namespace

TEST_CASE("migrations run once and leave the latest schema version", "[store]") {
    TempDir dir;
    const std::string path = dir.file("m.db");
    CHECK(apply_migrations(*open_database(path)) == latest_schema_version());
    CHECK(apply_migrations(*open_database(path)) == latest_schema_version());
    CHECK(query_int(path, "PRAGMA user_version") == latest_schema_version());
    CHECK(query_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'inbox_events'") == 1);
}

TEST_CASE("the hot writes check their named values without a temporary b-tree", "[store]") {
    TempDir dir;
    const std::string path = dir.file("c.db");
    // The connection that ran the migrations is asked too: only a new schema cookie makes it
    // parse the rewritten CREATE text.
    const auto db = migrated_sqlite(path);
    CHECK(query_int(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK (% IN (%'") ==
          0);
    CHECK(ephemeral_tables_in(*db,
                              "INSERT INTO inbox_events (dedupe_key, source, kind, occurred_at, received_at, "
                              "state, event, raw) VALUES ('k', 'zalo', 'message', 1, 1, 'pending', '{}', '{}')") == 0);
    CHECK(ephemeral_tables_in(*db, "UPDATE inbox_events SET state = 'processed' WHERE seq = 1") == 0);
    CHECK(ephemeral_tables_in(*db, "UPDATE outbox SET status = 'sent' WHERE id = 1") == 0);
    CHECK(ephemeral_tables_in(*db, "UPDATE customers SET stage = 'dormant' WHERE id = 1") == 0);
    CHECK(db->execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("the rewritten constraints accept and refuse the same values as before", "[store]") {
    TempDir dir;
    const std::string path = dir.file("v.db");
    const auto db = migrated_sqlite(path);
    for (const char* state : {"pending", "processed", "failed", "rejected", "duplicate"}) {
        CHECK_NOTHROW(db->exec(std::string("INSERT INTO inbox_events (dedupe_key, source, kind, occurred_at, "
                                           "received_at, state, event, raw) VALUES ('") +
                               state + "', 'zalo', 'message', 1, 1, '" + state + "', '{}', '{}')"));
    }
    CHECK_THROWS_WITH(db->exec("INSERT INTO inbox_events (dedupe_key, source, kind, occurred_at, received_at, state, "
                               "event, raw) VALUES ('x', 'zalo', 'message', 1, 1, 'Pending', '{}', '{}')"),
                      Catch::Contains("CHECK constraint failed"));
    CHECK_THROWS_WITH(db->exec("UPDATE inbox_events SET state = NULL WHERE dedupe_key = 'pending'"),
                      Catch::Contains("NOT NULL"));

    db->exec("INSERT INTO customers (id, created_at) VALUES (1, 0)");
    CHECK_NOTHROW(db->exec("UPDATE customers SET stage = 'frequent_buyer' WHERE id = 1"));
    CHECK_THROWS_WITH(db->exec("UPDATE customers SET stage = 'vip' WHERE id = 1"),
                      Catch::Contains("CHECK constraint failed"));
    CHECK_NOTHROW(db->exec("INSERT INTO customer_identities (customer_id, channel, external_id, created_at) "
                           "VALUES (1, 'zalo_anonymous', 'a', 0)"));
    CHECK_THROWS_WITH(db->exec("INSERT INTO customer_identities (customer_id, channel, external_id, created_at) "
                               "VALUES (1, 'telegram', 'b', 0)"),
                      Catch::Contains("CHECK constraint failed"));

    db->exec("INSERT INTO outbox (customer_id, kind, channel, idempotency_key, status, trigger, created_at, "
             "updated_at) VALUES (1, 'profile', 'zalo', 'o1', 'queued', 'test', 0, 0)");
    CHECK_NOTHROW(db->exec("UPDATE outbox SET status = 'skipped' WHERE idempotency_key = 'o1'"));
    CHECK_THROWS_WITH(db->exec("UPDATE outbox SET status = 'delivered' WHERE idempotency_key = 'o1'"),
                      Catch::Contains("CHECK constraint failed"));
    CHECK_THROWS_WITH(db->exec("UPDATE outbox SET kind = 'call' WHERE idempotency_key = 'o1'"),
                      Catch::Contains("CHECK constraint failed"));
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == 5);
}

TEST_CASE("the inbox keeps its rows and its redeliveries when it becomes a log", "[store]") {
    TempDir dir;
    const std::string path = dir.file("log.db");
    {
        // A file from before migration 10, with one settled and one pending event.
        const auto db = open_database(path);
        REQUIRE(apply_migrations(*db, 9) == 9);
        db->exec("INSERT INTO inbox_events (dedupe_key, source, kind, occurred_at, received_at, state, event, raw, "
                 "customer_id) VALUES ('done', 'zalo', 'message', 1, 1, 'processed', '{}', '{}', 7), "
                 "('waiting', 'zalo', 'message', 2, 2, 'pending', '{}', '{}', NULL)");
    }
    const auto db = migrated_sqlite(path);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == 2);
    CHECK(query_int(path, "SELECT seq FROM inbox_settled_keys WHERE dedupe_key = 'done'") == 1);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_settled_keys WHERE dedupe_key = 'waiting'") == 0);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE state = 'pending'") == 1);
    // No unique index left on the log: the writer's commit only appends.
    CHECK(query_int(path, "SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'inbox_events' AND "
                          "name LIKE 'sqlite_autoindex%'") == 0);
    CHECK(db->execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("the sweep of old doubts before every claim reads only the messages in doubt", "[store]") {
    // Through outbox_queued it walked every queued row: a third of the dispatcher's time with
    // a burst's replies waiting.
    TempDir dir;
    const auto db = migrated_sqlite(dir.file("d.db"));
    SQLite::Statement plan(*db, "EXPLAIN QUERY PLAN UPDATE outbox SET status = 'failed', reason = 'r', "
                                "sending_since = NULL, updated_at = 1 WHERE status = 'queued' "
                                "AND in_doubt_since IS NOT NULL AND in_doubt_since < 5");
    std::string steps;
    while (plan.executeStep()) {
        steps += plan.getColumn(3).getString() + "\n";
    }
    CHECK(steps.find("USING INDEX outbox_doubt_age") != std::string::npos);
}

TEST_CASE("rules that relied on a product template's name declare their product tip after migration 20", "[store]") {
    TempDir dir;
    const std::string path = dir.file("p.db");
    {
        auto db = open_database(path);
        apply_migrations(*db, 19);
        db->exec(R"sql(INSERT INTO playbook (id, definition, updated_at) VALUES ('default', '{"rules": [
            {"id": "a", "trigger": "keyword:product_advice", "template": "product_advice"},
            {"id": "b", "trigger": "event:purchase", "template": "cross_sell_tip", "product_tip": true},
            {"id": "c", "trigger": "keyword:product_advice", "template": "my_product_pick", "product_tip": false},
            {"id": "d", "trigger": "keyword:greeting", "template": "greeting_reply"}],
            "journeys": []}', 1))sql");
    }
    auto db = migrated_sqlite(path);
    auto tip_of = [&](int rule) {
        return db
            ->execAndGet("SELECT coalesce(json_extract(definition, '$.rules[" + std::to_string(rule) +
                         "].product_tip'), 'absent') FROM playbook")
            .getString();
    };
    CHECK(tip_of(0) == "if_any");
    CHECK(tip_of(1) == "1");
    CHECK(tip_of(2) == "0");
    CHECK(tip_of(3) == "absent");
    CHECK(db->execAndGet("SELECT json_extract(definition, '$.rules[3].id') FROM playbook").getString() == "d");
    CHECK(db->execAndGet("SELECT json_type(definition, '$.journeys') FROM playbook").getString() == "array");
}
