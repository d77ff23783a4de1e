// PostgreSQL's schema against SQLite's: the same tables and columns at the same version,
// migrated once by several instances starting together, and triggers that keep the funnel
// ledger, the order totals and the outbound webhooks alike on both.
#include "store/migrations.h"
#include "store/sql/connection.h"
#include "tests/support/scratch_database.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

using pheu::store::sql::Backend;
using pheu::store::sql::Connection;
using pheu::testing::conformance_backends;
using pheu::testing::postgres_available;
using pheu::testing::ScratchDatabase;

namespace {

using Columns = std::map<std::string, std::set<std::string>>;

Columns columns_of(Connection& db) {
    Columns columns;
    if (db.backend() == Backend::sqlite) {
        auto tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
        std::vector<std::string> names;
        while (tables->step()) {
            names.push_back(tables->text(0));
        }
        for (const auto& table : names) {
            auto info = db.prepare("SELECT name FROM pragma_table_info(?)");
            info->bind(1, table);
            while (info->step()) {
                columns[table].insert(info->text(0));
            }
        }
    } else {
        auto info = db.prepare("SELECT table_name, column_name FROM information_schema.columns "
                               "WHERE table_schema = current_schema()");
        while (info->step()) {
            columns[info->text(0)].insert(info->text(1));
        }
    }
    return columns;
}

// Rows of a query as text, NULL as "∅", for comparing the backends' answers.
std::vector<std::vector<std::string>> rows_of(Connection& db, const std::string& sql, int width) {
    std::vector<std::vector<std::string>> rows;
    auto query = db.prepare(sql);
    while (query->step()) {
        std::vector<std::string> row;
        for (int i = 0; i < width; ++i) {
            row.push_back(query->is_null(i) ? "∅" : query->text(i));
        }
        rows.push_back(row);
    }
    return rows;
}

void run(Connection& db, const std::string& sql) {
    db.prepare(sql)->run();
}

// The same writes on both backends, drawn from one seed: customers, their stage changes
// (some at one moment, some written late with an earlier time), merges that move one
// customer's history onto another, deleted changes, orders placed, re-totalled, cancelled
// and moved, vouchers issued and redeemed, a message failed and a customer opted out.
void write_history(Connection& db, unsigned seed) {
    std::mt19937 random(seed);
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    const char* stages[] = {"new_lead", "new_customer", "frequent_buyer", "dormant"};
    run(db, "INSERT INTO webhook_endpoints (id, url, events, secret, created_at) VALUES (1, 'https://hooks.test/a', "
            "'[\"customer.stage_changed\",\"voucher.issued\",\"voucher.redeemed\",\"message.failed\","
            "\"customer.opted_out\"]', 'whsec_x', 0)");
    run(db, "INSERT INTO voucher_campaigns (id, description, validity_days, updated_at) VALUES ('tet', 'Tết', 7, 0)");
    constexpr int k_customers = 12;
    for (int c = 1; c <= k_customers; ++c) {
        run(db, "INSERT INTO customers (id, created_at, stage) VALUES (" + std::to_string(c) + ", 0, 'new_lead')");
    }
    std::int64_t history_id = 0;
    int orders = 0;
    std::int64_t now = 1'700'000'000'000;
    for (int step = 0; step < 400; ++step) {
        now += pick(3) * 450'000 + 1;
        const std::string customer = std::to_string(1 + pick(k_customers));
        const std::string at = std::to_string(now - (pick(5) == 0 ? pick(4) * 900'000 : 0));
        switch (pick(9)) {
        case 0:
        case 1:
        case 2: {
            const std::string to = stages[pick(4)];
            run(db, "INSERT INTO stage_history (id, customer_id, from_stage, to_stage, changed_at, reason) VALUES (" +
                        std::to_string(++history_id) + ", " + customer + ", NULL, '" + to + "', " + at + ", 'test')");
            run(db, "UPDATE customers SET stage = '" + to + "' WHERE id = " + customer);
            break;
        }
        case 3:
            run(db, "INSERT INTO orders (order_id, customer_id, placed_at, total, recorded_at) VALUES ('o" +
                        std::to_string(++orders) + "', " + customer + ", " + at + ", " +
                        std::to_string(1000 * (1 + pick(500))) + ", " + at + ")");
            break;
        case 4:
            if (orders > 0) {
                const std::string order = "'o" + std::to_string(1 + pick(orders)) + "'";
                run(db, pick(2) == 0 ? "UPDATE orders SET cancelled_at = " + at + " WHERE order_id = " + order
                                     : "UPDATE orders SET total = total + 500 WHERE order_id = " + order);
            }
            break;
        case 5: {
            // A merge: the other customer's history and orders move here.
            const std::string other = std::to_string(1 + pick(k_customers));
            if (other != customer && pick(3) == 0) {
                run(db, "UPDATE stage_history SET customer_id = " + customer + " WHERE customer_id = " + other);
                run(db, "UPDATE orders SET customer_id = " + customer + " WHERE customer_id = " + other);
                run(db, "UPDATE customers SET merged_into = " + customer + " WHERE id = " + other +
                            " AND merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM customers k WHERE k.id = " +
                            customer + " AND k.merged_into IS NOT NULL)");
            }
            break;
        }
        case 6:
            if (history_id > 0) {
                run(db,
                    "DELETE FROM stage_history WHERE id = " + std::to_string(1 + pick(static_cast<int>(history_id))));
            }
            break;
        case 7: {
            const std::string code = "'TET-" + std::to_string(step) + "'";
            run(db, "INSERT INTO voucher_codes (code, campaign_id, customer_id, issued_at, expires_at) VALUES (" +
                        code + ", 'tet', " + customer + ", " + at + ", " + at + " + 604800000)");
            if (pick(2) == 0) {
                run(db, "UPDATE voucher_codes SET redeemed_at = " + at + ", order_id = 'o1' WHERE code = " + code);
            }
            break;
        }
        default:
            run(db,
                "UPDATE customers SET opted_out_at = " + at + " WHERE id = " + customer + " AND opted_out_at IS NULL");
            break;
        }
    }
    run(db, "INSERT INTO outbox (id, customer_id, kind, channel, idempotency_key, status, trigger, created_at, "
            "updated_at) VALUES (1, 1, 'message', 'zalo', 'k1', 'queued', 'welcome', 0, 0)");
    run(db, "UPDATE outbox SET status = 'failed', reason = 'blocked', updated_at = " + std::to_string(now) +
                " WHERE id = 1");
}

} // namespace

TEST_CASE("PostgreSQL and SQLite reach the same schema version with the same tables and columns",
          "[sql][conformance]") {
    if (!postgres_available()) {
        return;
    }
    const ScratchDatabase lite(Backend::sqlite);
    const ScratchDatabase postgres(Backend::postgresql);
    const auto lite_db = lite.connect();
    const auto postgres_db = postgres.connect();
    CHECK(pheu::store::migrate(*lite_db) == pheu::store::latest_schema_version());
    CHECK(pheu::store::migrate(*postgres_db) == pheu::store::latest_schema_version());
    // Migrating again finds nothing to do.
    CHECK(pheu::store::migrate(*postgres_db) == pheu::store::latest_schema_version());

    Columns lite_columns = columns_of(*lite_db);
    Columns postgres_columns = columns_of(*postgres_db);
    // On purpose (store/postgres/031_baseline.sql): SQLite settles its inbox keys in a
    // table of their own; PostgreSQL keeps its version in a table.
    CHECK(lite_columns.erase("inbox_settled_keys") == 1);
    CHECK(postgres_columns.erase("pheu_schema") == 1);
    CHECK(lite_columns == postgres_columns);
}

TEST_CASE("several pheu instances starting together migrate one PostgreSQL once", "[sql][conformance]") {
    if (!postgres_available()) {
        return;
    }
    const ScratchDatabase postgres(Backend::postgresql);
    std::vector<int> reached(4, 0);
    std::vector<std::string> errors(4);
    std::vector<std::thread> instances;
    for (std::size_t i = 0; i < reached.size(); ++i) {
        instances.emplace_back([&, i] {
            try {
                const auto db = postgres.connect();
                reached[i] = pheu::store::migrate(*db);
            } catch (const std::exception& error) {
                errors[i] = error.what();
            }
        });
    }
    for (auto& instance : instances) {
        instance.join();
    }
    for (std::size_t i = 0; i < reached.size(); ++i) {
        INFO(errors[i]);
        CHECK(reached[i] == pheu::store::latest_schema_version());
    }
    const auto db = postgres.connect();
    auto version = db->prepare("SELECT count(*), max(version) FROM pheu_schema");
    REQUIRE(version->step());
    CHECK(version->int64(0) == 1);
    CHECK(version->int64(1) == pheu::store::latest_schema_version());
}

TEST_CASE("the ledger, order totals and webhook triggers write the same on PostgreSQL as on SQLite",
          "[sql][conformance]") {
    if (!postgres_available()) {
        return;
    }
    const unsigned seed = GENERATE(1U, 2U, 3U, 4U, 5U);
    INFO("seed " << seed);
    const ScratchDatabase lite(Backend::sqlite);
    const ScratchDatabase postgres(Backend::postgresql);
    const auto lite_db = lite.connect();
    const auto postgres_db = postgres.connect();
    pheu::store::migrate(*lite_db);
    pheu::store::migrate(*postgres_db);
    write_history(*lite_db, seed);
    write_history(*postgres_db, seed);

    // The counters summed over their shards (PostgreSQL's transactions add to several).
    const std::pair<const char*, int> ledgers[] = {
        {"SELECT bucket, from_stage, to_stage, CAST(sum(count) AS BIGINT) FROM funnel_steps "
         "GROUP BY bucket, from_stage, to_stage HAVING sum(count) <> 0 ORDER BY bucket, from_stage, to_stage",
         4},
        {"SELECT bucket, from_stage, to_stage, CAST(sum(count) AS BIGINT) FROM funnel_moves "
         "GROUP BY bucket, from_stage, to_stage HAVING sum(count) <> 0 ORDER BY bucket, from_stage, to_stage",
         4},
        {"SELECT stage, CAST(sum(count) AS BIGINT) FROM funnel_standing GROUP BY stage HAVING sum(count) <> 0 "
         "ORDER BY stage",
         2},
        {"SELECT bucket, stage, CAST(sum(amount) AS BIGINT) FROM funnel_revenue GROUP BY bucket, stage "
         "HAVING sum(amount) <> 0 ORDER BY bucket, stage",
         3},
        {"SELECT stage, CAST(sum(count) AS BIGINT) FROM customer_stage_counts GROUP BY stage HAVING sum(count) <> 0 "
         "ORDER BY stage",
         2},
        {"SELECT id, orders_count, total_spent, last_order_at FROM customers ORDER BY id", 4},
        {"SELECT order_id, revenue_stage FROM orders ORDER BY order_id", 2},
        {"SELECT endpoint_id, event_type, next_attempt_at FROM webhook_deliveries ORDER BY id", 3},
    };
    for (const auto& [sql, width] : ledgers) {
        INFO(sql);
        const auto expected = rows_of(*lite_db, sql, width);
        CHECK_FALSE(expected.empty());
        CHECK(rows_of(*postgres_db, sql, width) == expected);
    }
    // The payloads a receiver verifies: the same JSON, whatever the spacing.
    const auto lite_payloads = rows_of(*lite_db, "SELECT payload FROM webhook_deliveries ORDER BY id", 1);
    const auto postgres_payloads = rows_of(*postgres_db, "SELECT payload FROM webhook_deliveries ORDER BY id", 1);
    REQUIRE(lite_payloads.size() == postgres_payloads.size());
    for (std::size_t i = 0; i < lite_payloads.size(); ++i) {
        CHECK(nlohmann::json::parse(postgres_payloads[i][0]) == nlohmann::json::parse(lite_payloads[i][0]));
    }
}

TEST_CASE("two instances' transactions add to the funnel ledger at once, neither waiting for the other",
          "[sql][conformance]") {
    if (!postgres_available()) {
        return;
    }
    const ScratchDatabase postgres(Backend::postgresql);
    const auto first = postgres.connect();
    const auto second = postgres.connect();
    pheu::store::migrate(*first);
    // What a worker's batch does to the ledger: a new customer, a stage change, an order.
    const auto add_customer = [](Connection& db, int id) {
        const std::string customer = std::to_string(id);
        run(db, "INSERT INTO customers (id, created_at, stage) VALUES (" + customer + ", 0, 'new_lead')");
        run(db, "INSERT INTO stage_history (customer_id, from_stage, to_stage, changed_at, reason) VALUES (" +
                    customer + ", NULL, 'new_customer', 1700000000000, 'first_order')");
        run(db, "INSERT INTO orders (order_id, customer_id, placed_at, total, recorded_at) VALUES ('o" + customer +
                    "', " + customer + ", 1700000000000, 350000, 1700000000000)");
    };
    const auto shard_of = [](Connection& db) {
        auto shard = db.prepare("SELECT txid_current() % 8");
        REQUIRE(shard->step());
        return shard->int64(0);
    };
    first->execute("BEGIN");
    const std::int64_t first_shard = shard_of(*first);
    add_customer(*first, 1);
    // One transaction in eight shares the first one's shard and waits, as any two writers
    // of one row do; this one is in another.
    second->execute("SET lock_timeout = '2s'");
    second->execute("BEGIN");
    while (shard_of(*second) == first_shard) {
        second->execute("ROLLBACK");
        second->execute("BEGIN");
    }
    CHECK_NOTHROW(add_customer(*second, 2));
    second->execute("COMMIT");
    first->execute("COMMIT");

    const auto counts = rows_of(*first,
                                "SELECT stage, CAST(sum(count) AS BIGINT) FROM customer_stage_counts GROUP BY stage "
                                "HAVING sum(count) <> 0 ORDER BY stage",
                                2);
    CHECK(counts == std::vector<std::vector<std::string>>{{"new_lead", "2"}});
    const auto moves = rows_of(*first,
                               "SELECT from_stage, to_stage, CAST(sum(count) AS BIGINT) FROM funnel_moves "
                               "GROUP BY from_stage, to_stage ORDER BY from_stage",
                               3);
    CHECK(moves == std::vector<std::vector<std::string>>{{"", "new_customer", "2"}});
}
