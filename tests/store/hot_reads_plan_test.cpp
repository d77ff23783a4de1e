// The reads the worker runs for every message (the send decision's customer, the render's
// customer) go through indexes only: no temporary b-tree built and dropped per message, no
// scan. Migration 21 and the way these statements are written keep it so; a sort or a scan
// creeping back would cost the worker a tenth of its pace without any test noticing.
#include "store/migrations.h"
#include "store/audience_store.h"
#include "store/database.h"
#include "store/message_facts.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace pheu;

namespace {

std::vector<std::string> plan_of(store::sql::Connection& db, const std::string& sql) {
    std::vector<std::string> steps;
    auto plan = db.prepare("EXPLAIN QUERY PLAN " + sql);
    while (plan->step()) {
        steps.push_back(plan->text(3));
    }
    return steps;
}

} // namespace

TEST_CASE("the reads behind every message use indexes only, with no temporary b-tree", "[store][plan]") {
    pheu::testing::TempDir dir;
    const std::string path = dir.file("plan.db");
    {
        auto db = store::open_and_migrate(path);
        db->execute("INSERT INTO customers (id, created_at, first_seen_at, first_source) VALUES (1, 1, 1, 'zalo'), "
                    "(2, 1, 1, 'zalo')");
        db->execute("UPDATE customers SET merged_into = 1 WHERE id = 2");
        db->execute("INSERT INTO customer_identities (channel, external_id, account_id, customer_id, created_at, "
                    "last_interaction_at) VALUES ('zalo', 'z-1', 'oa-1', 1, 1, 5), ('zalo', 'z-2', 'oa-1', 1, 1, 9)");
        db->execute("INSERT INTO orders (order_id, customer_id, placed_at, total, items, recorded_at) "
                    "VALUES ('o-1', 1, 10, 100, '[]', 10), ('o-2', 1, 20, 200, '[]', 20)");
        db->execute("INSERT INTO game_plays (customer_id, game_id, result, played_at) VALUES (1, 'g', 'win', 3), "
                    "(1, 'g', 'lose', 4)");
        db->execute("INSERT INTO product_views (customer_id, sku, view_count, last_viewed_at) VALUES (1, 'A', 1, 5), "
                    "(1, 'B', 2, 6)");
    }
    store::count_statements_from_now(true); // the texts of what the connection below runs
    auto db = store::sql::open_connection(path);
    store::MessageFactsQuery facts(*db);
    const auto lan = facts.facts(1, 5);
    REQUIRE(lan);
    // What the reads answer, so the plans below are those of reads that work.
    CHECK(lan->latest_order->order_id == "o-2");
    CHECK(lan->latest_prize->result == "lose");
    CHECK(lan->viewed_skus == std::vector<std::string>{"B", "A"});
    CHECK(facts.facts(2, 5)->customer_id == 1); // through the merge chain
    store::AudienceStore audience(*db);
    const auto row = audience.audience(1, store::CapWindows{0, 0}, {"msg:1:welcome:once"});
    CHECK(row.zalo->external_id == "z-2"); // the identity used last
    CHECK(row.keys_used.empty());

    const auto statements = store::statements_by_text();
    REQUIRE(statements.size() >= 2);
    for (const auto& [sql, profile] : statements) {
        INFO(sql);
        for (const auto& step : plan_of(*db, sql)) {
            INFO(step);
            CHECK(step.find("TEMP B-TREE") == std::string::npos);
            CHECK(step.find("AUTOMATIC") == std::string::npos);
            // A scan of a table (not of the merge chain, a handful of rows at most, nor of a
            // subquery's few rows: the views kept, the deepest link) reads every row a shop has.
            CHECK((step.rfind("SCAN", 0) != 0 || step == "SCAN chain" || step.starts_with("SCAN CONSTANT") ||
                   step.starts_with("SCAN (subquery") || step == "SCAN viewed" || step == "SCAN deepest"));
        }
    }
}
