#include "bot/customers/stage_engine.h"
#include "bot/customers/stage_keeper.h"
#include "bot/customers/stage_preview.h"

#include <catch2/catch.hpp>

#include <random>

using namespace pheu::bot;

namespace {

constexpr std::int64_t k_now = 1800000000000;
const StageThresholds k_defaults;

std::int64_t days_ago(double days) {
    return k_now - static_cast<std::int64_t>(days * static_cast<double>(k_day_ms));
}

StageFacts orders_at(std::initializer_list<std::int64_t> times) {
    StageFacts facts;
    int n = 0;
    for (std::int64_t at : times) {
        facts.orders["o" + std::to_string(n++)] = OrderFact{at, false};
    }
    return facts;
}

} // namespace

TEST_CASE("no order means new_lead, whatever else happened", "[unit][stage]") {
    StageFacts facts;
    CHECK(decide_stage(facts, k_defaults, k_now).stage == Stage::new_lead);
    facts.last_interaction_at = days_ago(400);
    const auto decision = decide_stage(facts, k_defaults, k_now);
    CHECK(decision.stage == Stage::new_lead);
    CHECK_FALSE(decision.next_check_at.has_value());
    facts.orders["x"] = OrderFact{days_ago(1), true};
    CHECK(decide_stage(facts, k_defaults, k_now).stage == Stage::new_lead); // cancelled orders do not count
}

TEST_CASE("one recent order makes a new_customer who turns dormant by time", "[unit][stage]") {
    const auto decision = decide_stage(orders_at({days_ago(10)}), k_defaults, k_now);
    CHECK(decision.stage == Stage::new_customer);
    REQUIRE(decision.next_check_at.has_value());
    CHECK(*decision.next_check_at == days_ago(10) + 90 * k_day_ms + 1);
}

TEST_CASE("frequent_buyer starts exactly at 3 orders within 180 days", "[unit][stage]") {
    CHECK(decide_stage(orders_at({days_ago(1), days_ago(50)}), k_defaults, k_now).stage == Stage::new_customer);
    CHECK(decide_stage(orders_at({days_ago(1), days_ago(50), days_ago(80)}), k_defaults, k_now).stage ==
          Stage::frequent_buyer);
    // The window is inclusive: an order exactly 180 days old still counts…
    CHECK(decide_stage(orders_at({days_ago(1), days_ago(50), days_ago(180)}), k_defaults, k_now).stage ==
          Stage::frequent_buyer);
    // …and one a millisecond older does not.
    CHECK(decide_stage(orders_at({days_ago(1), days_ago(50), days_ago(180) - 1}), k_defaults, k_now).stage ==
          Stage::new_customer);
}

TEST_CASE("a frequent buyer falls back when the third order leaves the window", "[unit][stage]") {
    const auto facts = orders_at({days_ago(1), days_ago(20), days_ago(170)});
    const auto decision = decide_stage(facts, k_defaults, k_now);
    CHECK(decision.stage == Stage::frequent_buyer);
    REQUIRE(decision.next_check_at.has_value());
    CHECK(*decision.next_check_at == days_ago(170) + 180 * k_day_ms + 1);
    CHECK(decide_stage(facts, k_defaults, *decision.next_check_at).stage == Stage::new_customer);
    CHECK(decide_stage(facts, k_defaults, *decision.next_check_at - 1).stage == Stage::frequent_buyer);
}

TEST_CASE("dormant: the last order more than 90 days old and 30 quiet days", "[unit][stage]") {
    SECTION("exactly 90 days is not yet dormant") {
        CHECK(decide_stage(orders_at({days_ago(90)}), k_defaults, k_now).stage == Stage::new_customer);
        CHECK(decide_stage(orders_at({days_ago(90) - 1}), k_defaults, k_now).stage == Stage::dormant);
    }
    SECTION("a recent interaction keeps a buyer awake until 30 days after it") {
        StageFacts facts = orders_at({days_ago(120)});
        facts.last_interaction_at = days_ago(10);
        const auto decision = decide_stage(facts, k_defaults, k_now);
        CHECK(decision.stage == Stage::new_customer);
        CHECK(decision.next_check_at == days_ago(10) + 30 * k_day_ms);
        CHECK(decide_stage(facts, k_defaults, *decision.next_check_at).stage == Stage::dormant);
    }
    SECTION("dormant wins over frequent buyer") {
        StageThresholds long_window = k_defaults;
        long_window.frequent_window_days = 365;
        CHECK(decide_stage(orders_at({days_ago(100), days_ago(110), days_ago(120)}), long_window, k_now).stage ==
              Stage::dormant);
    }
    SECTION("a dormant customer stays so until a new event") {
        CHECK_FALSE(decide_stage(orders_at({days_ago(200)}), k_defaults, k_now).next_check_at.has_value());
    }
}

TEST_CASE("cancelling an order takes it out of every count", "[unit][stage]") {
    StageFacts facts = orders_at({days_ago(1), days_ago(5), days_ago(9)});
    CHECK(decide_stage(facts, k_defaults, k_now).stage == Stage::frequent_buyer);
    facts.orders["o0"].cancelled = true;
    CHECK(decide_stage(facts, k_defaults, k_now).stage == Stage::new_customer);
    facts.orders["o1"].cancelled = true;
    facts.orders["o2"].cancelled = true;
    CHECK(decide_stage(facts, k_defaults, k_now).stage == Stage::new_lead);
}

TEST_CASE("shop thresholds replace the defaults", "[unit][stage]") {
    StageThresholds grocery{5, 30, 14, 7};
    CHECK(decide_stage(orders_at({days_ago(1), days_ago(2), days_ago(3)}), grocery, k_now).stage ==
          Stage::new_customer);
    CHECK(decide_stage(orders_at({days_ago(15)}), grocery, k_now).stage == Stage::dormant);
}

TEST_CASE("lead temperature from recency and frequency", "[unit][stage]") {
    CHECK(lead_temperature(days_ago(1), 5, k_now) == LeadTemperature::hot);
    CHECK(lead_temperature(days_ago(1), 1, k_now) == LeadTemperature::warm);
    CHECK(lead_temperature(days_ago(10), 9, k_now) == LeadTemperature::warm);
    CHECK(lead_temperature(days_ago(20), 9, k_now) == LeadTemperature::cold);
    CHECK(lead_temperature(std::nullopt, 0, k_now) == LeadTemperature::cold);
}

// Generated histories: orders (some redelivered, some cancelled) and interactions, split
// at random between two customers that later turn out to be one person.
TEST_CASE("property: stages over generated histories", "[unit][stage][property]") {
    std::mt19937_64 random(20261123);
    for (int round = 0; round < 2000; ++round) {
        std::uniform_int_distribution<int> count(0, 8);
        std::uniform_int_distribution<std::int64_t> age(0, 400 * k_day_ms);
        std::bernoulli_distribution coin(0.5);
        StageFacts whole;
        StageFacts left;
        StageFacts right;
        const int orders = count(random);
        for (int i = 0; i < orders; ++i) {
            const std::string id = "o" + std::to_string(i);
            const OrderFact order{k_now - age(random), std::bernoulli_distribution(0.2)(random)};
            whole.orders[id] = order;
            (coin(random) ? left : right).orders[id] = order;
            if (std::bernoulli_distribution(0.2)(random)) { // redelivered to the other side
                (coin(random) ? left : right).orders[id] = order;
            }
        }
        const int interactions = count(random);
        for (int i = 0; i < interactions; ++i) {
            const std::int64_t at = k_now - age(random);
            StageFacts& side = coin(random) ? left : right;
            whole.last_interaction_at = std::max(whole.last_interaction_at.value_or(at), at);
            side.last_interaction_at = std::max(side.last_interaction_at.value_or(at), at);
        }
        const auto decision = decide_stage(whole, k_defaults, k_now);
        INFO("round " << round);
        const bool any_valid_order =
            std::any_of(whole.orders.begin(), whole.orders.end(), [](const auto& o) { return !o.second.cancelled; });
        CHECK(parse_stage(stage_id(decision.stage)).has_value());
        CHECK((decision.stage == Stage::new_lead) == !any_valid_order);
        const auto merged = decide_stage(merge_facts(left, right), k_defaults, k_now);
        CHECK(merged.stage == decision.stage);
        CHECK(merged.next_check_at == decision.next_check_at);
        if (decision.next_check_at) {
            CHECK(*decision.next_check_at > k_now);
            // Nothing changes before the announced moment.
            CHECK(decide_stage(whole, k_defaults, *decision.next_check_at - 1).stage == decision.stage);
        }
    }
}

TEST_CASE("a stage is dated from the events that made it hold", "[unit][stages]") {
    using namespace pheu::bot;
    const std::int64_t now = 1000 * k_day_ms;
    StageFacts facts;
    facts.orders["a"] = OrderFact{now - 150 * k_day_ms, false};
    // One old order: dormant since 90 days after it.
    CHECK(decide_stage(facts, StageThresholds{}, now).stage == Stage::dormant);
    CHECK(decide_stage(facts, StageThresholds{}, now).since == now - 60 * k_day_ms + 1);
    // Back 40 days ago: a new customer since that order, not since the first one.
    facts.orders["b"] = OrderFact{now - 40 * k_day_ms, false};
    CHECK(decide_stage(facts, StageThresholds{}, now).stage == Stage::new_customer);
    CHECK(decide_stage(facts, StageThresholds{}, now).since == now - 40 * k_day_ms);
    // A third order 3 days ago makes three within 180 days: frequent since that order.
    facts.orders["c"] = OrderFact{now - 3 * k_day_ms, false};
    CHECK(decide_stage(facts, StageThresholds{}, now).stage == Stage::frequent_buyer);
    CHECK(decide_stage(facts, StageThresholds{}, now).since == now - 3 * k_day_ms);
}

TEST_CASE("a batch's stage changes net to one per customer", "[unit][stages]") {
    using namespace pheu::bot;
    const std::vector<StageChange> changes = {
        {1, std::nullopt, Stage::new_lead, 10, ""},
        {2, Stage::new_lead, Stage::new_customer, 11, ""},
        {1, Stage::new_lead, Stage::new_customer, 12, ""},
        {2, Stage::new_customer, Stage::new_lead, 13, ""}, // back where it began: no change
        {1, Stage::new_customer, Stage::frequent_buyer, 14, "3 orders"},
    };
    const auto net = net_stage_changes(changes);
    REQUIRE(net.size() == 1);
    CHECK(net[0].customer_id == 1);
    CHECK_FALSE(net[0].from.has_value());
    CHECK(net[0].to == Stage::frequent_buyer);
    CHECK(net[0].at == 14);
    CHECK(net[0].reason == "3 orders");
}

TEST_CASE("stages are stored by the ids the database and the API have always used", "[unit][stage]") {
    const std::pair<Stage, std::string> ids[] = {{Stage::new_lead, "new_lead"},
                                                 {Stage::new_customer, "new_customer"},
                                                 {Stage::frequent_buyer, "frequent_buyer"},
                                                 {Stage::dormant, "dormant"}};
    for (const auto& [stage, id] : ids) {
        CHECK(stage_id(stage) == id);
        CHECK(parse_stage(id) == stage);
    }
    CHECK_FALSE(parse_stage("vip"));
    CHECK_FALSE(parse_stage(""));
}

TEST_CASE("a stage preview counts each customer once, by the thresholds it is given", "[unit][stage]") {
    using pheu::store::StageFactRow;
    const std::vector<StageFactRow> rows = {
        // 1: no order, a lead.
        {.customer_id = 1, .last_interaction_at = days_ago(1)},
        // 2: two orders this month: a new customer at 3 orders, frequent at 2.
        {.customer_id = 2, .last_interaction_at = days_ago(1), .order_id = "a", .order_at = days_ago(20)},
        {.customer_id = 2, .last_interaction_at = days_ago(1), .order_id = "b", .order_at = days_ago(5)},
        // 3: one order 100 days ago, quiet for 40: dormant at 90 days, a customer at 120.
        {.customer_id = 3, .last_interaction_at = days_ago(40), .order_id = "c", .order_at = days_ago(100)},
        // 4: a cancelled order only: still a lead.
        {.customer_id = 4, .order_id = "d", .order_at = days_ago(3), .cancelled = true},
    };
    const auto counted = [&](StageThresholds thresholds) {
        StagePreview preview(thresholds, k_now);
        for (const auto& row : rows) {
            preview.add(row);
        }
        return preview.counts();
    };
    using Counts = std::array<std::int64_t, 4>; // new_lead, new_customer, frequent_buyer, dormant
    CHECK(counted(k_defaults) == Counts{2, 1, 0, 1});
    StageThresholds eager = k_defaults;
    eager.frequent_min_orders = 2;
    eager.dormant_after_days = 120;
    CHECK(counted(eager) == Counts{2, 1, 1, 0});
    CHECK(StagePreview(k_defaults, k_now).counts() == Counts{0, 0, 0, 0});
}
