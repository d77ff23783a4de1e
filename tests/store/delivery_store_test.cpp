// What the dispatcher claims first: a reply a shopper waits for goes before the Zalo tag that
// mirrors their new stage, however they were queued, and the claim reads the queued rows in
// that order through their index instead of sorting them on every pass.
#include "store/migrations.h"
#include "store/database.h"
#include "store/delivery_store.h"
#include "store/instances.h"
#include "tests/support/scratch_database.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace pheu;

namespace {

void queue(store::sql::Connection& db, int id, const std::string& kind) {
    db.execute("INSERT INTO outbox (id, customer_id, kind, channel, account_id, recipient, idempotency_key, status, "
               "trigger, created_at, updated_at) VALUES (" +
               std::to_string(id) + ", 1, '" + kind + "', 'zalo', 'oa-1', 'z-1', 'k" + std::to_string(id) +
               "', 'queued', 'follow', 1, 1)");
}

// The schema on `scratch`, with customer 1 for the outbox rows `queue` adds.
std::unique_ptr<store::sql::Connection> migrated_with_one_customer(const pheu::testing::ScratchDatabase& scratch) {
    auto db = store::open_and_migrate(scratch.target().location);
    db->execute("INSERT INTO customers (id, created_at, first_seen_at, first_source) VALUES (1, 1, 1, 'zalo')");
    return db;
}

std::vector<std::int64_t> ids_of(const std::vector<store::DeliveryRow>& rows) {
    std::vector<std::int64_t> ids;
    for (const auto& row : rows) {
        ids.push_back(row.id);
    }
    return ids;
}

} // namespace

TEST_CASE("the dispatcher claims replies and profile reads before stage tags", "[store][delivery]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const std::string path = scratch.target().location;
    {
        auto db = store::open_and_migrate(path);
        db->execute("INSERT INTO customers (id, created_at, first_seen_at, first_source) VALUES (1, 1, 1, 'zalo')");
        // As a new shopper's chats queue them: the stage's tag first, then the reply.
        queue(*db, 1, "tag");
        queue(*db, 2, "message");
        queue(*db, 3, "untag");
        queue(*db, 4, "profile");
        queue(*db, 5, "message");
    }
    store::count_statements_from_now(true); // the text of the claim's query, for its plan
    auto db = store::sql::open_connection(path);
    store::DeliveryStore delivery(*db);
    CHECK(ids_of(delivery.due(10, 2, {})) == std::vector<std::int64_t>{2, 4});
    CHECK(ids_of(delivery.due(10, 10, {})) == std::vector<std::int64_t>{2, 4, 5, 1, 3});
    // Claimed rows are not due again; the tags come when nothing else waits.
    delivery.claim(2, 10, "instance-a");
    delivery.claim(4, 10, "instance-a");
    delivery.claim(5, 10, "instance-a");
    CHECK(ids_of(delivery.due(10, 10, {})) == std::vector<std::int64_t>{1, 3});

    if (scratch.target().backend != store::sql::Backend::sqlite) {
        return; // the plan below is SQLite's
    }
    bool planned = false;
    for (const auto& [sql, profile] : store::statements_by_text()) {
        if (sql.find("FROM outbox AS o") == std::string::npos) {
            continue;
        }
        auto plan = db->prepare("EXPLAIN QUERY PLAN " + sql);
        std::string steps;
        while (plan->step()) {
            steps += plan->text(3) + "\n";
        }
        INFO(steps);
        CHECK(steps.find("USING INDEX outbox_queued") != std::string::npos);
        CHECK(steps.find("TEMP B-TREE") == std::string::npos);
        planned = true;
    }
    CHECK(planned);
}

TEST_CASE("claims are taken back from instances gone silent, never from a live one", "[store][delivery][conformance]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = migrated_with_one_customer(scratch);
    store::DeliveryStore delivery(*db);
    store::InstanceRegistry instances(*db);
    const std::pair<int, const char*> claims[] = {{1, "self"}, {2, "live"}, {3, "silent"}, {4, "unknown"}};
    for (const auto& [id, instance] : claims) {
        queue(*db, id, "message");
        delivery.claim(id, 10, instance);
    }
    queue(*db, 5, "message"); // never claimed
    instances.beat("self", 1);
    instances.beat("live", 1);
    instances.beat("silent", 1);
    // Silent for longer than the expiry, by the database's own clock.
    db->execute("UPDATE pheu_instances SET heartbeat_at = heartbeat_at - " +
                std::to_string(store::k_instance_expiry_ms + 1000) + " WHERE id = 'silent'");
    CHECK(instances.live_count() == 2); // they share each account's send rate
    std::vector<std::int64_t> taken;
    for (const auto& claimed : delivery.claims_of_gone_instances("self")) {
        taken.push_back(claimed.id);
    }
    std::sort(taken.begin(), taken.end());
    if (scratch.target().backend == store::sql::Backend::sqlite) {
        // One process serves the file: every claim not its own is a dead process's.
        CHECK(taken == std::vector<std::int64_t>{2, 3, 4});
    } else {
        CHECK(taken == std::vector<std::int64_t>{3, 4});
    }
    // A row taken back is no longer its claimer's: its attempt mark is refused.
    delivery.return_unattempted(3, 20);
    CHECK(delivery.mark_attempted({2, 3}, 30, "live") == std::set<std::int64_t>{2});
    CHECK(delivery.mark_attempted({3}, 30, "silent").empty());
}

TEST_CASE("a Zalo echo settles the latest unconfirmed send of its text, not an older one left in doubt",
          "[store][delivery][conformance]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = migrated_with_one_customer(scratch);
    store::DeliveryStore delivery(*db);
    // The same answer to two questions: the first was cut by a crash (in doubt), the second
    // has just gone out and its result is not recorded yet when its echo comes.
    for (const int id : {1, 2}) {
        queue(*db, id, "message");
        db->execute("UPDATE outbox SET text = 'Dạ, nhân viên shop sẽ trả lời bạn ngay ạ' WHERE id = " +
                    std::to_string(id));
        delivery.claim(id, 10, "self");
    }
    CHECK(delivery.mark_attempted({1}, 100, "self") == std::set<std::int64_t>{1});
    delivery.record_in_doubt(1, "outcome_unknown: pheu stopped", 150);
    CHECK(delivery.mark_attempted({2}, 5000, "self") == std::set<std::int64_t>{2});
    CHECK(delivery.settle_doubt_by_text("zalo", "oa-1", "z-1", "Dạ, nhân viên shop sẽ trả lời bạn ngay ạ", "zmsg-2",
                                        5010));
    CHECK(pheu::testing::query_text(*db, "SELECT status || ':' || coalesce(platform_message_id, '') FROM outbox "
                                         "WHERE id = 2") == "sent:zmsg-2");
    CHECK(pheu::testing::query_int(*db, "SELECT count(*) FROM outbox WHERE id = 1 AND status = 'queued' "
                                        "AND in_doubt_since IS NOT NULL") == 1);
}
