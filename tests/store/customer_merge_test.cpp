// A merge keeps the conversation's memory: the menu shown and a size or measurements told on
// either customer, the latest of each, on both backends.
#include "store/customer_store.h"
#include "store/message_facts.h"
#include "store/migrations.h"
#include "tests/support/scratch_database.h"

#include <catch2/catch.hpp>

using namespace pheu;

TEST_CASE("a merge keeps the latest menu shown and size or measurements told of both customers", "[store][customers]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    constexpr std::int64_t now = 1'795'000'000'000;
    store::CustomerStore customers(*db);
    const std::int64_t kept = customers.create(now, now, "zalo");
    const std::int64_t other = customers.create(now, now, "zalo_app");
    // The Mini App shopper named a size and saw the menu; the OA follower gave measurements
    // earlier.
    customers.note_told(kept, {.measurements = true}, now - 60'000);
    customers.note_menu_shown(kept, now - 120'000);
    customers.note_told(other, {.size = true}, now - 10'000);
    customers.note_menu_shown(other, now - 5'000);

    customers.merge(kept, other, now, "test: one shopper");
    store::MessageFactsQuery query(*db);
    const auto facts = query.facts(kept, 3);
    REQUIRE(facts);
    CHECK(facts->size_told_at == now - 10'000);
    CHECK(facts->measurements_told_at == now - 60'000);
    CHECK(facts->menu_shown_at == now - 5'000);
}
