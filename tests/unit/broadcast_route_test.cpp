#include "bot/playbook/broadcast_route.h"
#include "bot/playbook/holdout.h"
#include "bot/trigger.h"

#include <catch2/catch.hpp>

#include <string>

using namespace pheu::bot;

namespace {

constexpr std::int64_t k_now = 1'800'000'000'000;
constexpr std::int64_t k_hour = 3600LL * 1000;

RecipientState on_zalo(std::optional<std::int64_t> hours_ago) {
    RecipientState recipient;
    recipient.on_zalo = true;
    if (hours_ago) {
        recipient.zalo_last_interaction_at = k_now - *hours_ago * k_hour;
    }
    return recipient;
}

} // namespace

TEST_CASE("a broadcast goes on Zalo's free, then billed consultation window, then the shop's template",
          "[unit][broadcasts]") {
    const MessagePrices prices;
    const RouteFacts no_template;
    auto route = cheapest_route(on_zalo(47), no_template, prices, k_now);
    REQUIRE(route);
    CHECK(route->route == BroadcastRoute::zalo_consultation);
    CHECK(route->cost_vnd == 0);
    route = cheapest_route(on_zalo(49), no_template, prices, k_now);
    REQUIRE(route);
    CHECK(route->route == BroadcastRoute::zalo_consultation);
    CHECK(route->cost_vnd == prices.zalo_consultation_late);
    // Past 7 days only a mapped template goes; without one nothing does.
    CHECK_FALSE(cheapest_route(on_zalo(7 * 24 + 1), no_template, prices, k_now));
    CHECK_FALSE(cheapest_route(on_zalo(std::nullopt), no_template, prices, k_now));
    route = cheapest_route(on_zalo(200), {.zalo_template = ZaloTemplateMapping::by_user_id}, prices, k_now);
    REQUIRE(route);
    CHECK(route->route == BroadcastRoute::zalo_template);
    CHECK(route->cost_vnd == prices.zalo_template);
    // ZNS needs the phone number.
    CHECK_FALSE(cheapest_route(on_zalo(200), {.zalo_template = ZaloTemplateMapping::zns}, prices, k_now));
    route = cheapest_route(on_zalo(200), {.zalo_template = ZaloTemplateMapping::zns, .has_phone = true}, prices, k_now);
    REQUIRE(route);
    CHECK(route->route == BroadcastRoute::zns);
    CHECK(route->cost_vnd == prices.zns);
    // Not a follower (or unfollowed): no Zalo route at all.
    RecipientState gone = on_zalo(1);
    gone.on_zalo = false;
    CHECK_FALSE(cheapest_route(gone, {.zalo_template = ZaloTemplateMapping::by_user_id}, prices, k_now));
    // ZNS goes by phone: a customer known by phone alone (a purchase in the shop) is reached.
    const RecipientState phone_only;
    CHECK_FALSE(cheapest_route(phone_only, {.zalo_template = ZaloTemplateMapping::zns}, prices, k_now));
    route = cheapest_route(phone_only, {.zalo_template = ZaloTemplateMapping::zns, .has_phone = true}, prices, k_now);
    REQUIRE(route);
    CHECK(route->channel == pheu::bot::Channel::zalo);
    CHECK(route->route == BroadcastRoute::zns);
}

TEST_CASE("a broadcast takes the cheapest open route, Messenger only within 24 hours", "[unit][broadcasts]") {
    MessagePrices prices;
    RecipientState both = on_zalo(60); // billed on Zalo
    both.on_messenger = true;
    both.messenger_last_interaction_at = k_now - 23 * k_hour;
    auto route = cheapest_route(both, {}, prices, k_now);
    REQUIRE(route);
    CHECK(route->channel == pheu::bot::Channel::messenger);
    CHECK(route->cost_vnd == 0);
    both.messenger_last_interaction_at = k_now - 25 * k_hour;
    route = cheapest_route(both, {}, prices, k_now);
    REQUIRE(route);
    CHECK(route->channel == pheu::bot::Channel::zalo);
    // On a tie, Zalo: the shop's own channel.
    RecipientState free_both = on_zalo(1);
    free_both.on_messenger = true;
    free_both.messenger_last_interaction_at = k_now - k_hour;
    CHECK(cheapest_route(free_both, {}, prices, k_now)->channel == pheu::bot::Channel::zalo);
    // The shop's own prices decide: a shop whose Zalo messages cost more than Messenger's.
    prices.zalo_consultation = 500;
    prices.messenger = 100;
    CHECK(cheapest_route(free_both, {}, prices, k_now)->channel == pheu::bot::Channel::messenger);
}

TEST_CASE("a holdout keeps its share, the same customers each time, independently per experiment",
          "[unit][broadcasts]") {
    int held = 0;
    int held_in_both = 0;
    for (std::int64_t customer = 1; customer <= 20000; ++customer) {
        const bool in_first = in_holdout("broadcast:1", customer, 10);
        CHECK(in_first == in_holdout("broadcast:1", customer, 10));
        held += in_first ? 1 : 0;
        held_in_both += in_first && in_holdout("broadcast:2", customer, 10) ? 1 : 0;
    }
    // 2,000 expected (standard deviation 42); 200 in both if independent (14).
    CHECK(held > 1800);
    CHECK(held < 2200);
    CHECK(held_in_both > 130);
    CHECK(held_in_both < 270);
    CHECK_FALSE(in_holdout("broadcast:1", 42, 0));
    CHECK(in_holdout("broadcast:1", 42, 100));
}

TEST_CASE("a broadcast's trigger reads back, and only digits make one", "[unit][broadcasts]") {
    const Trigger trigger = Trigger::broadcast(17);
    CHECK(trigger.text() == "broadcast:17");
    CHECK(trigger.argument() == "17");
    REQUIRE(Trigger::parse("broadcast:17"));
    CHECK(Trigger::parse("broadcast:17")->kind() == TriggerKind::broadcast);
    CHECK_FALSE(Trigger::parse("broadcast:"));
    CHECK_FALSE(Trigger::parse("broadcast:abc"));
    CHECK(trigger.purpose() == MessagePurpose::conversation);
    REQUIRE(Trigger::parse("broadcast_test:17"));
    CHECK(Trigger::parse("broadcast_test:17")->kind() == TriggerKind::broadcast_test);
    CHECK(Trigger::broadcast_test(17).text() == "broadcast_test:17");
    CHECK_FALSE(Trigger::parse("broadcast_test:x"));
}

TEST_CASE("a variant is picked by weight, the same one each time, apart from the holdout", "[unit][broadcasts]") {
    const std::vector<int> weights = {1, 3};
    int second = 0;
    int second_and_held = 0;
    for (std::int64_t customer = 1; customer <= 20000; ++customer) {
        const std::size_t pick = pick_variant("broadcast:3", customer, weights);
        CHECK(pick == pick_variant("broadcast:3", customer, weights));
        second += pick == 1 ? 1 : 0;
        second_and_held += pick == 1 && in_holdout("broadcast:3", customer, 10) ? 1 : 0;
    }
    // 15,000 expected (standard deviation 61); 1,500 of them held out if independent (39).
    CHECK(second > 14700);
    CHECK(second < 15300);
    CHECK(second_and_held > 1300);
    CHECK(second_and_held < 1700);
    CHECK(pick_variant("broadcast:3", 1, {}) == 0);
    CHECK(pick_variant("broadcast:3", 1, {0, 0}) == 0);
    CHECK(pick_variant("broadcast:3", 1, {0, 5}) == 1);
}

TEST_CASE("a broadcast's estimate adds up customers and cost by route", "[unit][broadcasts]") {
    const MessagePrices prices;
    ReachEstimate estimate;
    estimate.add(cheapest_route(on_zalo(1), {}, prices, k_now));
    estimate.add(cheapest_route(on_zalo(60), {}, prices, k_now));
    estimate.add(cheapest_route(on_zalo(60), {}, prices, k_now));
    estimate.add(cheapest_route(on_zalo(std::nullopt), {}, prices, k_now));
    CHECK(estimate.customers[static_cast<std::size_t>(BroadcastRoute::zalo_consultation)] == 3);
    CHECK(estimate.unreachable == 1);
    CHECK(estimate.total_cost_vnd() == 2 * prices.zalo_consultation_late);

    const nlohmann::json mappings = {{"winback", {{"template_id", "401"}}},
                                     {"otp", {{"template_id", "9"}, {"via", "zns"}}},
                                     {"broken", {{"template_id", ""}}}};
    CHECK(zalo_template_mapping(mappings, "winback") == ZaloTemplateMapping::by_user_id);
    CHECK(zalo_template_mapping(mappings, "otp") == ZaloTemplateMapping::zns);
    CHECK(zalo_template_mapping(mappings, "broken") == ZaloTemplateMapping::none);
    CHECK(zalo_template_mapping(mappings, "other") == ZaloTemplateMapping::none);
    CHECK(zalo_template_mapping(nlohmann::json::array(), "winback") == ZaloTemplateMapping::none);
}

TEST_CASE("a sent message costs what its route costs: free Zalo replies, billed late ones, templates, ZNS",
          "[unit][broadcasts]") {
    const MessagePrices prices{
        .zalo_consultation = 0, .zalo_consultation_late = 55, .zalo_template = 220, .zns = 300, .messenger = 0};
    CHECK(sent_message_cost(Channel::zalo, "cs", k_now - 47 * k_hour, k_now, prices) == 0);
    CHECK(sent_message_cost(Channel::zalo, "cs", k_now - 49 * k_hour, k_now, prices) == 55);
    CHECK(sent_message_cost(Channel::zalo, "cs", std::nullopt, k_now, prices) == 55);
    CHECK(sent_message_cost(Channel::zalo, "template", k_now - 1 * k_hour, k_now, prices) == 220);
    CHECK(sent_message_cost(Channel::zalo, "zns", std::nullopt, k_now, prices) == 300);
    CHECK(sent_message_cost(Channel::messenger, "message_tag", std::nullopt, k_now, MessagePrices{.messenger = 12}) ==
          12);
}

TEST_CASE("a customer's variant template is the same every time, and the template itself without variants",
          "[unit][broadcasts]") {
    const std::vector<pheu::store::TemplateVariant> variants = {{.template_id = "short", .weight = 1},
                                                                {.template_id = "long", .weight = 1}};
    const std::string fallback = "only";
    int shorts = 0;
    for (std::int64_t customer = 1; customer <= 1000; ++customer) {
        const std::string& chosen = variant_template("rule:winback", customer, variants, fallback);
        CHECK(chosen == variant_template("rule:winback", customer, variants, fallback));
        shorts += chosen == "short" ? 1 : 0;
    }
    CHECK(shorts > 430); // 500 expected, standard deviation 16
    CHECK(shorts < 570);
    CHECK(variant_template("rule:winback", 1, {}, fallback) == "only");
}
