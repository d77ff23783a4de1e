#include "bot/playbook/playbook.h"
#include "common/birthday.h"
#include "templates/builtin_pack.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;
using nlohmann::json;

namespace {

constexpr std::int64_t k_day = 24LL * 3600 * 1000;

const JourneyDefinition& journey_named(const Playbook& playbook, const std::string& id) {
    for (const auto& journey : playbook.journeys) {
        if (journey.id == id) {
            return journey;
        }
    }
    FAIL("no journey " << id);
    throw std::logic_error("unreachable");
}

std::string path_of_error(const json& document) {
    try {
        parse_playbook(document);
    } catch (const pheu::common::InputRejected& rejected) {
        return rejected.error().path;
    }
    return "(valid)";
}

} // namespace

TEST_CASE("the built-in playbook parses and every rule names a template of the pack", "[unit][playbook]") {
    const auto& pack = pheu::templates::builtin_pack();
    const Playbook playbook = parse_playbook(pack.playbook);
    CHECK(playbook.rules.size() > 20);
    for (const auto& rule : playbook.rules) {
        INFO(rule.id);
        const auto has = [&](const std::string& id) {
            for (const auto& item : pack.templates) {
                if (item.id == id) {
                    return true;
                }
            }
            return false;
        };
        CHECK(has(rule.template_id));
        if (!rule.when_no_voucher.empty()) {
            CHECK(has(rule.when_no_voucher));
        }
    }
}

TEST_CASE("rules for one trigger act like a switch on the customer's state", "[unit][playbook]") {
    const Playbook playbook = parse_playbook(pheu::templates::builtin_pack().playbook);
    CustomerSnapshot lead;
    CustomerSnapshot buyer;
    buyer.stage = Stage::new_customer;
    CHECK(select_rule(playbook, "keyword:voucher", lead)->campaign == "first_order");
    CHECK(select_rule(playbook, "keyword:voucher", buyer)->campaign == "second_order");
    CHECK(select_rule(playbook, "event:follow", lead)->id == "welcome_follow_lead");
    CHECK(select_rule(playbook, "event:follow", buyer)->id == "welcome_follow_back");
    CHECK(select_rule(playbook, "keyword:nothing", lead) == nullptr);
}

TEST_CASE("an answer sent in place of a rule's own keeps the cooldown of the rule that owns it", "[unit][playbook]") {
    Playbook playbook = parse_playbook(pheu::templates::builtin_pack().playbook);
    const PlaybookRule* owner = cooldown_owner(playbook, "fallback");
    REQUIRE(owner != nullptr);
    CHECK(owner->id == "fallback");
    CHECK(owner->cooldown_hours == 12);
    // Templates no cooldown rule sends keep no window of their own.
    CHECK(cooldown_owner(playbook, "voucher_unavailable") == nullptr);
    CHECK(cooldown_owner(playbook, "product_answer") == nullptr);
    // A rule the shop switched off owns nothing.
    for (auto& rule : playbook.rules) {
        rule.enabled = rule.id != "fallback";
    }
    CHECK(cooldown_owner(playbook, "fallback") == nullptr);
}

TEST_CASE("journey steps stop once the customer buys after the anchor", "[unit][playbook]") {
    const Playbook playbook = parse_playbook(pheu::templates::builtin_pack().playbook);
    CustomerSnapshot lead;
    const std::int64_t anchor = 100 * k_day;
    CHECK(select_rule(playbook, "journey:lead_cadence/day_10", lead, anchor) != nullptr);
    lead.last_order_at = anchor - k_day; // an order before the journey began does not count
    CHECK(select_rule(playbook, "journey:lead_cadence/day_10", lead, anchor) != nullptr);
    lead.last_order_at = anchor + 2 * k_day;
    CHECK(select_rule(playbook, "journey:lead_cadence/day_10", lead, anchor) == nullptr);

    CustomerSnapshot cart_owner;
    CHECK(select_rule(playbook, "journey:cart_reminder/hour_4", cart_owner, anchor) == nullptr);
    cart_owner.cart_not_empty = true;
    CHECK(select_rule(playbook, "journey:cart_reminder/hour_4", cart_owner, anchor) != nullptr);
    // The purchase that ends the cadence is its goal.
    const auto& cadence = journey_named(playbook, "lead_cadence");
    CHECK(std::find(cadence.ends_on.begin(), cadence.ends_on.end(), "event:purchase") != cadence.ends_on.end());
}

TEST_CASE("a journey started late passes over its past steps, a late scheduler sends only the latest",
          "[unit][playbook]") {
    const Playbook playbook = parse_playbook(pheu::templates::builtin_pack().playbook);
    const auto& cadence = journey_named(playbook, "lead_cadence"); // days 1, 10, 15, 30, 45
    const std::int64_t anchor = 1000 * k_day;

    auto progress = start_journey(cadence, anchor, anchor);
    CHECK_FALSE(progress.send_step.has_value());
    CHECK(progress.next_step == 0);
    CHECK(progress.next_due_at == anchor + k_day);

    // Anchored 12 days ago (the customer first wrote then): day 1 and day 10 are history.
    progress = start_journey(cadence, anchor, anchor + 12 * k_day);
    CHECK_FALSE(progress.send_step.has_value());
    CHECK(progress.late_steps == std::vector<std::size_t>{0, 1}); // recorded skipped, reason late
    CHECK(progress.next_step == 2);
    CHECK(progress.next_due_at == anchor + 15 * k_day);

    progress = advance_journey(cadence, anchor, 1, anchor + 10 * k_day);
    CHECK(progress.send_step == std::optional<std::size_t>(1));
    CHECK(progress.next_due_at == anchor + 15 * k_day);

    // The server was down from day 9 to day 31: one message (day 30), not three.
    progress = advance_journey(cadence, anchor, 1, anchor + 31 * k_day);
    CHECK(progress.send_step == std::optional<std::size_t>(3));
    CHECK(progress.late_steps == std::vector<std::size_t>{1, 2});
    CHECK(progress.next_step == 4);

    progress = advance_journey(cadence, anchor, 4, anchor + 50 * k_day);
    CHECK(progress.send_step == std::optional<std::size_t>(4));
    CHECK_FALSE(progress.next_due_at.has_value());
}

TEST_CASE("a playbook with a mistake names the field", "[unit][playbook]") {
    const json rule = {{"id", "r"}, {"trigger", "event:follow"}, {"template", "t"}};
    CHECK(path_of_error({{"rules", {rule}}}) == "(valid)");
    json bad = rule;
    bad["trigger"] = "when:ever";
    CHECK(path_of_error({{"rules", {rule, bad}}}) == "/rules/1/trigger");
    bad = rule;
    bad["conditions"] = {{"stages", {"new_lead", "vip"}}};
    CHECK(path_of_error({{"rules", {bad}}}) == "/rules/0/conditions/stages/1");
    bad = rule;
    bad["trigger"] = "stage_entered:sleeping";
    CHECK(path_of_error({{"rules", {bad}}}) == "/rules/0/trigger");
    bad = rule;
    bad.erase("template");
    CHECK(path_of_error({{"rules", {bad}}}) == "/rules/0/template");
    const json journey = {{"id", "j"},
                          {"start_on", "event:follow"},
                          {"steps", {{{"id", "a"}, {"after_days", 2}}, {{"id", "b"}, {"after_days", 1}}}}};
    CHECK(path_of_error({{"journeys", {journey}}}) == "/journeys/0/steps/1");
    CHECK(path_of_error(json::array()) == "");
}

TEST_CASE("birthdays are read in the formats shops and Zalo use", "[unit][playbook]") {
    CHECK(pheu::common::parse_birthday("15/08/1995")->month == 8);
    CHECK(pheu::common::parse_birthday("15/08/1995")->day == 15);
    CHECK(pheu::common::parse_birthday("1995-08-15")->day == 15);
    CHECK(pheu::common::parse_birthday("5-8-1995")->month == 8);
    CHECK(pheu::common::parse_birthday("29/02")->day == 29);
    CHECK_FALSE(pheu::common::parse_birthday("31/02/1995").has_value());
    CHECK_FALSE(pheu::common::parse_birthday("hôm qua").has_value());
    CHECK_FALSE(pheu::common::parse_birthday("").has_value());
}

TEST_CASE("a rule declares whether its template recommends a product", "[unit][playbook]") {
    const json rule = {{"id", "r"}, {"trigger", "keyword:product_advice"}, {"template", "product_pick"}};
    // The template's name says nothing: only the rule does.
    CHECK(parse_playbook({{"rules", {rule}}}).rules[0].product_tip == ProductTip::none);
    json with = rule;
    with["product_tip"] = true;
    CHECK(parse_playbook({{"rules", {with}}}).rules[0].product_tip == ProductTip::required);
    with["product_tip"] = "if_any";
    CHECK(parse_playbook({{"rules", {with}}}).rules[0].product_tip == ProductTip::if_any);
    with["product_tip"] = false;
    CHECK(parse_playbook({{"rules", {with}}}).rules[0].product_tip == ProductTip::none);
    with["product_tip"] = "yes";
    CHECK(path_of_error({{"rules", {with}}}) == "/rules/0/product_tip");

    const Playbook builtin = parse_playbook(pheu::templates::builtin_pack().playbook);
    for (const auto& built_in : builtin.rules) {
        if (built_in.id == "product_advice") {
            CHECK(built_in.product_tip == ProductTip::if_any);
        }
        if (built_in.id == "cross_sell") {
            CHECK(built_in.product_tip == ProductTip::required);
        }
    }
}

TEST_CASE("a rule may try 2 to 4 template variants by weight instead of one template", "[unit][playbook]") {
    const json rule = {{"id", "winback"},
                       {"trigger", "stage_entered:dormant"},
                       {"variants", {{{"template", "short"}, {"weight", 30}}, {{"template", "long"}}}}};
    const Playbook playbook = parse_playbook({{"rules", {rule}}});
    const PlaybookRule& parsed = playbook.rules.at(0);
    REQUIRE(parsed.variants.size() == 2);
    CHECK(parsed.variants[0].template_id == "short");
    CHECK(parsed.variants[0].weight == 30);
    CHECK(parsed.variants[1].weight == 1); // the default
    CHECK(parsed.template_id == "short");  // what the rule is listed under

    json one = rule;
    one["variants"] = {{{"template", "short"}}};
    CHECK(path_of_error({{"rules", {one}}}) == "/rules/0/variants");
    json heavy = rule;
    heavy["variants"][1]["weight"] = 0;
    CHECK(path_of_error({{"rules", {heavy}}}) == "/rules/0/variants/1/weight");
    json nameless = rule;
    nameless["variants"][0].erase("template");
    CHECK(path_of_error({{"rules", {nameless}}}) == "/rules/0/variants/0/template");
    json neither = rule;
    neither.erase("variants");
    CHECK(path_of_error({{"rules", {neither}}}) == "/rules/0/template");
}
