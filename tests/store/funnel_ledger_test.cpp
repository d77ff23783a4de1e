// The funnel ledger (migration 18) is kept by triggers: whatever writes stage changes, orders
// and customers, and in whatever order, its sums must equal what the rows themselves say.
// The references below compute the same figures from the rows, the slow way.
#include "store/customer_store.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/sql/sqlite_connection.h"
#include "store/order_store.h"
#include "store/report_queries.h"
#include "tests/support/scratch_database.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using pheu::testing::TempDir;
using namespace pheu;

namespace {

using Sums = std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t>;

// Rows of (slot, from, to, count), zero counts left out.
Sums sums_of(store::sql::Connection& db, const std::string& sql) {
    auto query = db.prepare(sql);
    Sums sums;
    while (query->step()) {
        if (const std::int64_t count = query->int64(3); count != 0) {
            sums[{query->int64(0), query->text(1), query->text(2)}] = count;
        }
    }
    return sums;
}

// Each change a step from its customer's change just before it, by time then id.
const char* k_reference_steps =
    "SELECT slot, from_stage, to_stage, count(*) FROM (SELECT changed_at / 900000 * 900000 AS slot, to_stage, "
    "coalesce(lag(to_stage) OVER (PARTITION BY customer_id ORDER BY changed_at, id), '') AS from_stage "
    "FROM stage_history) AS steps GROUP BY 1, 2, 3";
const char* k_reference_moves =
    "SELECT changed_at / 900000 * 900000, coalesce(from_stage, ''), to_stage, count(*) FROM stage_history "
    "GROUP BY 1, 2, 3";
// The stage in force when each order was placed, as the report asked it before the ledger.
const char* k_reference_revenue =
    "SELECT o.placed_at / 900000 * 900000, '', coalesce((SELECT h.to_stage FROM stage_history h "
    "WHERE h.customer_id = o.customer_id AND h.changed_at <= o.placed_at ORDER BY h.id DESC LIMIT 1), "
    "'new_customer'), sum(o.total) FROM orders o WHERE o.placed_at IS NOT NULL AND o.cancelled_at IS NULL "
    "GROUP BY 1, 3";
const char* k_reference_standing = "SELECT 0, '', to_stage, count(*) FROM (SELECT to_stage, row_number() OVER "
                                   "(PARTITION BY customer_id ORDER BY changed_at DESC, id DESC) AS n "
                                   "FROM stage_history) AS latest WHERE n = 1 GROUP BY to_stage";
const char* k_reference_now = "SELECT 0, '', stage, count(*) FROM customers WHERE merged_into IS NULL GROUP BY stage";

void check_ledger(store::sql::Connection& db) {
    CHECK(sums_of(db, "SELECT bucket, from_stage, to_stage, count FROM funnel_steps") ==
          sums_of(db, k_reference_steps));
    CHECK(sums_of(db, "SELECT bucket, from_stage, to_stage, count FROM funnel_moves") ==
          sums_of(db, k_reference_moves));
    CHECK(sums_of(db, "SELECT bucket, '', stage, CAST(amount AS BIGINT) FROM funnel_revenue") ==
          sums_of(db, k_reference_revenue));
    CHECK(sums_of(db, "SELECT 0, '', stage, count FROM funnel_standing WHERE stage != ''") ==
          sums_of(db, k_reference_standing));
    CHECK(sums_of(db, "SELECT 0, '', stage, count FROM customer_stage_counts") == sums_of(db, k_reference_now));
}

const char* const k_stages[] = {"new_lead", "new_customer", "frequent_buyer", "dormant"};

// A shop's life in random order: customers, stage changes written late and early, orders
// placed and cancelled (some cancelled first), stages set, and merges.
void live(store::sql::Connection& db, std::mt19937& random, int steps) {
    store::CustomerStore customers(db);
    store::OrderStore orders(db);
    std::vector<std::int64_t> ids;
    int order_number = 0;
    const std::int64_t day = 24LL * 3600 * 1000;
    auto moment = [&] { return 1'790'000'000'000 + static_cast<std::int64_t>(random() % (20 * day)); };
    auto someone = [&] { return ids[random() % ids.size()]; };
    for (int step = 0; step < steps; ++step) {
        const auto what = ids.size() < 3 ? 0 : random() % 10;
        const std::string stage = k_stages[random() % 4];
        if (what == 0) {
            ids.push_back(customers.create(moment(), moment(), "zalo"));
        } else if (what <= 3) {
            const std::optional<std::string> from =
                random() % 4 == 0 ? std::nullopt : std::optional<std::string>(k_stages[random() % 4]);
            customers.add_stage_history(someone(), from, stage, moment(), "test");
        } else if (what <= 5) {
            orders.record_purchase(store::PurchaseRecord{.order_id = "o" + std::to_string(++order_number),
                                                         .customer_id = someone(),
                                                         .placed_at = moment(),
                                                         .total = static_cast<std::int64_t>(random() % 500) * 1000},
                                   moment());
        } else if (what == 6 && order_number > 0) {
            // An order cancelled, or a cancellation that arrives before its purchase.
            const int order = random() % 3 == 0 ? order_number + 1 : 1 + static_cast<int>(random()) % order_number;
            order_number = std::max(order_number, order);
            orders.record_cancellation("o" + std::to_string(order), someone(), moment(), moment());
        } else if (what == 7) {
            auto set = db.prepare("UPDATE customers SET stage = ? WHERE id = ?");
            set->bind(1, stage);
            set->bind(2, static_cast<int64_t>(someone()));
            set->run();
        } else if (what == 8) {
            const std::int64_t kept = someone();
            const std::int64_t merged = someone();
            if (kept != merged && pheu::testing::query_int(
                                      db, "SELECT count(*) FROM customers WHERE merged_into IS NOT NULL AND id IN (" +
                                              std::to_string(kept) + ", " + std::to_string(merged) + ")") == 0) {
                customers.merge(kept, merged, moment(), "test");
                std::erase(ids, merged);
            }
        } else {
            db.execute("DELETE FROM stage_history WHERE id = (SELECT max(id) FROM stage_history)");
        }
    }
}

} // namespace

TEST_CASE("the funnel ledger's triggers keep every sum equal to the rows", "[store][funnel]") {
    const auto backend = GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends()));
    INFO(pheu::testing::backend_name(backend));
    std::mt19937 random(20261206);
    for (int shop = 0; shop < 20; ++shop) {
        const pheu::testing::ScratchDatabase scratch(backend);
        auto db = store::open_and_migrate(scratch.target().location);
        store::sql::Transaction transaction(*db);
        live(*db, random, 400);
        INFO("shop " << shop);
        check_ledger(*db);
    }
}

TEST_CASE("the funnel ledger is built from a shop's rows when the migration runs", "[store][funnel]") {
    std::mt19937 random(7);
    TempDir dir;
    const std::string path = dir.file("b.db");
    {
        auto db = store::sql::open_connection(path);
        store::apply_migrations(store::sql::sqlite_handle(*db), 17);
        // Before migration 18 there is no ledger to keep: only rows. The rows are written by
        // today's stores, whose merge also moves Zalo tags (migration 28) and keeps the
        // profile's keys (migrations 23 and 32) and the conversation's notes (38 and 39):
        // their table and columns, alone.
        db->execute("CREATE TABLE customer_tags (customer_id INTEGER, tag TEXT, tagged_at INTEGER, "
                    "PRIMARY KEY (customer_id, tag)); ALTER TABLE customers ADD COLUMN city_key TEXT; "
                    "ALTER TABLE customers ADD COLUMN birth_month INTEGER; "
                    "ALTER TABLE customers ADD COLUMN gender_key TEXT; "
                    "ALTER TABLE customers ADD COLUMN menu_shown_at INTEGER; "
                    "ALTER TABLE customers ADD COLUMN size_told_at INTEGER; "
                    "ALTER TABLE customers ADD COLUMN measurements_told_at INTEGER");
        store::sql::Transaction transaction(*db);
        live(*db, random, 600);
        db->execute("DROP TABLE customer_tags; ALTER TABLE customers DROP COLUMN city_key; "
                    "ALTER TABLE customers DROP COLUMN birth_month; ALTER TABLE customers DROP COLUMN gender_key; "
                    "ALTER TABLE customers DROP COLUMN menu_shown_at; ALTER TABLE customers DROP COLUMN size_told_at; "
                    "ALTER TABLE customers DROP COLUMN measurements_told_at");
        transaction.commit();
    }
    auto db = store::open_and_migrate(path);
    CHECK(pheu::testing::query_int(*db, "SELECT count(*) FROM stage_history") > 50);
    check_ledger(*db);
    // And the triggers go on from there.
    store::sql::Transaction transaction(*db);
    live(*db, random, 300);
    check_ledger(*db);
}

TEST_CASE("the funnel report's queries read the ledger by period", "[store][funnel]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    store::CustomerStore customers(*db);
    store::OrderStore orders(*db);
    const std::int64_t day = 24LL * 3600 * 1000;
    const std::int64_t start = 1'790'000'000'000 / day * day;
    const std::int64_t lan = customers.create(start, start, "zalo");
    customers.add_stage_history(lan, std::nullopt, "new_lead", start - day, "first message");
    orders.record_purchase(
        store::PurchaseRecord{.order_id = "A1", .customer_id = lan, .placed_at = start + 10, .total = 250000},
        start + 10);
    customers.add_stage_history(lan, "new_lead", "new_customer", start + 10, "first order");
    orders.record_purchase(
        store::PurchaseRecord{.order_id = "A2", .customer_id = lan, .placed_at = start + day, .total = 90000},
        start + day);
    store::ReportQueries reports(*db);
    // The first order counts with the change it brought; the second falls in the next day.
    CHECK(reports.revenue_by_stage(start, start + day) ==
          std::map<std::string, std::int64_t>{{"new_customer", 250000}});
    CHECK(reports.revenue_by_stage(start, start + 2 * day) ==
          std::map<std::string, std::int64_t>{{"new_customer", 340000}});
    CHECK(reports.funnel_standing() == std::map<std::string, std::int64_t>{{"new_customer", 1}});
    const auto steps = reports.funnel_steps_since(start);
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].slot == start);
    CHECK(steps[0].from_stage == "new_lead");
    CHECK(reports.funnel_moves(start - day, start).size() == 1);
    CHECK(reports.funnel_moves(start - day, start)[0].from_stage.empty());
}
