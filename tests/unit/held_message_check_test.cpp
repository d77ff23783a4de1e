#include "bot/playbook/held_message_check.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;

TEST_CASE("a held message's key names its rule and occasion", "[unit][delivery]") {
    const auto key = parse_message_key("msg:42:welcome_follow_lead:zalo:abc");
    REQUIRE(key);
    CHECK(key->rule_id == "welcome_follow_lead");
    CHECK(key->occasion == "zalo:abc");
    CHECK_FALSE(parse_message_key("zalo_tag:1:2:tag").has_value());
    CHECK_FALSE(parse_message_key("msg:42").has_value());
}

TEST_CASE("a held message is stale when its rule, the customer or its voucher no longer fit", "[unit][delivery]") {
    PlaybookRule rule;
    rule.id = "lead_day_30";
    rule.conditions.stages = {Stage::new_lead};
    rule.conditions.no_purchase_since_anchor = true;
    CustomerSnapshot lead;
    lead.stage = Stage::new_lead;
    CHECK_FALSE(held_message_staleness(&rule, lead, 100, std::nullopt).has_value());

    CustomerSnapshot bought = lead;
    bought.stage = Stage::new_customer;
    bought.last_order_at = 150;
    CHECK(held_message_staleness(&rule, bought, 100, std::nullopt).value().rfind("stale", 0) == 0);

    CHECK(
        held_message_staleness(&rule, lead, 100, pheu::store::UseVerdict{false, "redeemed"}).value().find("redeemed") !=
        std::string::npos);
    CHECK(held_message_staleness(nullptr, lead, 100, std::nullopt).has_value());
    rule.enabled = false;
    CHECK(held_message_staleness(&rule, lead, 100, std::nullopt).has_value());
}
