// Work that several pheu instances claim from one PostgreSQL: each takes rows the others are
// not holding, and none waits for them. On SQLite one writer excludes every other, and the
// same claims take everything due.
#include "store/broadcast_store.h"
#include "store/customer_store.h"
#include "store/delivery_store.h"
#include "store/journey_store.h"
#include "store/migrations.h"
#include "store/sql/connection.h"
#include "tests/support/scratch_database.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace store = pheu::store;

namespace {

constexpr std::int64_t k_now = 1'800'000'000'000;

// Two pheu instances' connections to one migrated PostgreSQL schema.
struct TwoInstances {
    pheu::testing::ScratchDatabase scratch{store::sql::Backend::postgresql};
    std::unique_ptr<store::sql::Connection> a = store::open_and_migrate(scratch.target().location);
    std::unique_ptr<store::sql::Connection> b = scratch.connect();
};

// Five customers due for a stage check and five journeys due to send a step.
void seed_due_work(store::sql::Connection& db) {
    for (int id = 1; id <= 5; ++id) {
        const std::string at = std::to_string(k_now - 1000 * id);
        db.execute("INSERT INTO customers (id, created_at, next_stage_check_at) VALUES (" + std::to_string(id) +
                   ", 0, " + at + ")");
        db.execute("INSERT INTO journeys (customer_id, journey, anchor_at, next_step, next_due_at, state, updated_at) "
                   "VALUES (" +
                   std::to_string(id) + ", 'birthday', 0, 0, " + at + ", 'active', 0)");
    }
}

// Six messages queued for delivery.
void seed_queued_messages(store::sql::Connection& db) {
    db.execute("INSERT INTO customers (id, created_at) VALUES (1, 0)");
    for (int id = 1; id <= 6; ++id) {
        db.execute(
            "INSERT INTO outbox (id, customer_id, kind, channel, account_id, recipient, idempotency_key, status, "
            "trigger, created_at, updated_at) VALUES (" +
            std::to_string(id) + ", 1, 'message', 'zalo', 'oa', 'u1', 'k" + std::to_string(id) +
            "', 'queued', 'event:message', 0, 0)");
    }
}

std::set<std::int64_t> ids_of(const std::vector<store::DeliveryRow>& rows) {
    std::set<std::int64_t> ids;
    for (const auto& row : rows) {
        ids.insert(row.id);
    }
    return ids;
}

std::set<std::int64_t> customers_of(const std::vector<store::JourneyRow>& rows) {
    std::set<std::int64_t> ids;
    for (const auto& row : rows) {
        ids.insert(row.customer_id);
    }
    return ids;
}

} // namespace

TEST_CASE("two instances' schedulers on one PostgreSQL claim different due customers and journeys",
          "[store][claims][conformance]") {
    if (!pheu::testing::postgres_available()) {
        return;
    }
    const TwoInstances instances;
    const auto& instance_a = instances.a;
    const auto& instance_b = instances.b;
    seed_due_work(*instance_a);

    // A claims three of each and holds them in its open transaction.
    store::sql::Transaction a(*instance_a);
    const auto a_customers = store::CustomerStore(*instance_a).due_for_stage_check(k_now, 3);
    const auto a_journeys = customers_of(store::JourneyStore(*instance_a).due(k_now, 3));
    CHECK(a_customers.size() == 3);
    CHECK(a_journeys.size() == 3);

    // B, meanwhile, gets the other two of each at once, without waiting for A.
    store::sql::Transaction b(*instance_b);
    const auto b_customers = store::CustomerStore(*instance_b).due_for_stage_check(k_now, 10);
    const auto b_journeys = customers_of(store::JourneyStore(*instance_b).due(k_now, 10));
    CHECK(b_customers.size() == 2);
    CHECK(b_journeys.size() == 2);
    for (const std::int64_t id : b_customers) {
        CHECK(std::find(a_customers.begin(), a_customers.end(), id) == a_customers.end());
    }
    for (const std::int64_t id : b_journeys) {
        CHECK_FALSE(a_journeys.contains(id));
    }
    b.commit();
    a.commit();
}

TEST_CASE("a claim takes everything due when no one else holds it", "[store][claims][conformance]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const auto db = store::open_and_migrate(scratch.target().location);
    seed_due_work(*db);
    store::sql::Transaction transaction(*db);
    // Oldest first.
    CHECK(store::CustomerStore(*db).due_for_stage_check(k_now, 10) == std::vector<std::int64_t>{5, 4, 3, 2, 1});
    CHECK(customers_of(store::JourneyStore(*db).due(k_now, 10)) == std::set<std::int64_t>{1, 2, 3, 4, 5});
    transaction.commit();
}

TEST_CASE("two instances' dispatchers on one PostgreSQL claim different queued messages",
          "[store][claims][conformance]") {
    if (!pheu::testing::postgres_available()) {
        return;
    }
    const TwoInstances instances;
    const auto& instance_a = instances.a;
    const auto& instance_b = instances.b;
    seed_queued_messages(*instance_a);
    store::sql::Transaction a(*instance_a);
    const auto a_rows = ids_of(store::DeliveryStore(*instance_a).due(k_now, 4, {}));
    CHECK(a_rows.size() == 4);
    // The customer's row is only read: B is not kept waiting on it, and gets the other two.
    store::sql::Transaction b(*instance_b);
    const auto b_rows = ids_of(store::DeliveryStore(*instance_b).due(k_now, 10, {}));
    CHECK(b_rows.size() == 2);
    for (const std::int64_t id : b_rows) {
        CHECK_FALSE(a_rows.contains(id));
    }
    b.commit();
    a.commit();
}

TEST_CASE("two instances' broadcast senders on one PostgreSQL decide different broadcasts",
          "[store][claims][conformance]") {
    if (!pheu::testing::postgres_available()) {
        return;
    }
    const TwoInstances instances;
    const auto& instance_a = instances.a;
    const auto& instance_b = instances.b;
    instance_a->execute(
        "INSERT INTO segments (id, name, filter, created_at, updated_at) VALUES (1, 'all', '{}', 0, 0)");
    for (int id = 1; id <= 2; ++id) {
        instance_a->execute("INSERT INTO broadcasts (id, name, segment_id, template, send_at, status, created_at, "
                            "updated_at) VALUES (" +
                            std::to_string(id) + ", 'b', 1, 't', 0, 'sending', 0, 0)");
    }
    instance_a->execute("INSERT INTO broadcasts (id, name, segment_id, template, send_at, created_at, updated_at) "
                        "VALUES (3, 'later', 1, 't', 0, 0, 0)"); // scheduled, due

    // A decides the oldest and starts the due one, in its open transaction.
    store::sql::Transaction a(*instance_a);
    store::BroadcastStore broadcasts_a(*instance_a);
    const auto deciding_a = broadcasts_a.next_to_decide();
    REQUIRE(deciding_a);
    CHECK(deciding_a->id == 1);
    CHECK(broadcasts_a.due_to_start(k_now) == std::vector<std::int64_t>{3});

    // B, meanwhile, decides the other and finds nothing to start, without waiting for A.
    store::sql::Transaction b(*instance_b);
    store::BroadcastStore broadcasts_b(*instance_b);
    const auto deciding_b = broadcasts_b.next_to_decide();
    REQUIRE(deciding_b);
    CHECK(deciding_b->id == 2);
    CHECK(broadcasts_b.due_to_start(k_now).empty());
    b.commit();
    a.commit();
}
