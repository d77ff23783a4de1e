#include "bot/playbook/attribution.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;
using pheu::store::AttributionFacts;
using pheu::store::MessageCountRow;
using pheu::store::MessageLabel;
using pheu::store::MessageTouch;
using pheu::store::Purchase;

namespace {

constexpr std::int64_t k_day = 24LL * 3600 * 1000;
constexpr std::int64_t k_window = 7 * k_day;
constexpr std::int64_t k_start = 1'800'000'000'000;

std::int64_t day(double days) {
    return k_start + static_cast<std::int64_t>(days * static_cast<double>(k_day));
}

} // namespace

TEST_CASE("a purchase is the last message's the customer met within the window", "[unit][attribution]") {
    const std::vector<MessageTouch> touches = {
        {.customer_id = 1, .at = day(0), .message_id = 10},
        {.customer_id = 1, .at = day(3), .message_id = 11},
        {.customer_id = 2, .at = day(5), .message_id = 20},
    };
    const auto attributed = attribute_purchases(touches,
                                                {{.customer_id = 1, .placed_at = day(2), .total = 100},
                                                 {.customer_id = 1, .placed_at = day(5), .total = 200},
                                                 {.customer_id = 2, .placed_at = day(4), .total = 300},
                                                 {.customer_id = 3, .placed_at = day(5), .total = 400}},
                                                k_window);
    REQUIRE(attributed.size() == 4);
    CHECK(attributed[0] == 10); // before the second message came
    CHECK(attributed[1] == 11); // the later one
    CHECK_FALSE(attributed[2]); // bought before their message: not its doing
    CHECK_FALSE(attributed[3]); // no message at all, and another customer's does not count
}

TEST_CASE("a purchase 2 days after a message is its, one after 9 days is nobody's", "[unit][attribution]") {
    const std::vector<MessageTouch> touches = {{.customer_id = 1, .at = day(0), .message_id = 10}};
    const auto attributed = attribute_purchases(touches,
                                                {{.customer_id = 1, .placed_at = day(2), .total = 1},
                                                 {.customer_id = 1, .placed_at = day(7), .total = 1},
                                                 {.customer_id = 1, .placed_at = day(7) + 1, .total = 1},
                                                 {.customer_id = 1, .placed_at = day(9), .total = 1}},
                                                k_window);
    CHECK(attributed[0] == 10);
    CHECK(attributed[1] == 10); // the window's last moment still counts
    CHECK_FALSE(attributed[2]);
    CHECK_FALSE(attributed[3]);
}

TEST_CASE("a click renews a message's claim, and the later message wins a tie", "[unit][attribution]") {
    const std::vector<MessageTouch> touches = {
        {.customer_id = 1, .at = day(0), .message_id = 10}, // delivered
        {.customer_id = 1, .at = day(1), .message_id = 11}, // delivered
        {.customer_id = 1, .at = day(6), .message_id = 10}, // a click on the first one's link
        {.customer_id = 2, .at = day(1), .message_id = 21}, // two messages in the same millisecond
        {.customer_id = 2, .at = day(1), .message_id = 22},
    };
    const auto attributed = attribute_purchases(
        touches,
        {{.customer_id = 1, .placed_at = day(10), .total = 1}, {.customer_id = 2, .placed_at = day(2), .total = 1}},
        k_window);
    CHECK(attributed[0] == 10); // 4 days after its click; 9 after the second message's delivery
    CHECK(attributed[1] == 22);
}

TEST_CASE("the report counts each template apart and measures all of them against one control group",
          "[unit][attribution]") {
    const std::vector<MessageCountRow> counts = {
        {.trigger = "rule:winback",
         .template_id = "a",
         .sent = 100,
         .delivered = 90,
         .seen = 50,
         .clicked = 10,
         .cost_vnd = 5500,
         .sent_customers_converted = 20,
         .held_out = 5,
         .control_converted = 0},
        {.trigger = "rule:winback",
         .template_id = "b",
         .sent = 100,
         .delivered = 95,
         .seen = 60,
         .clicked = 5,
         .cost_vnd = 0,
         .sent_customers_converted = 10,
         .held_out = 15,
         .control_converted = 2},
        {.trigger = "broadcast:1", .template_id = "c", .sent = 3},
    };
    AttributionFacts facts;
    facts.touches = {{.customer_id = 1, .at = day(0), .message_id = 1},
                     {.customer_id = 2, .at = day(0), .message_id = 2},
                     {.customer_id = 3, .at = day(0), .message_id = 3}};
    facts.purchases = {{.customer_id = 1, .placed_at = day(1), .total = 150'000},
                       {.customer_id = 2, .placed_at = day(1), .total = 90'000},
                       {.customer_id = 3, .placed_at = day(1), .total = 70'000}};
    // Message 3 was written before the period: its purchase is its own, counted nowhere here.
    facts.period_messages = {{1, MessageLabel{.trigger = "rule:winback", .template_id = "a"}},
                             {2, MessageLabel{.trigger = "rule:winback", .template_id = "b"}}};

    const auto report = message_report(counts, facts, k_window);
    REQUIRE(report.size() == 2);
    CHECK(report[0].trigger == "broadcast:1");
    CHECK(report[0].outcomes.converted == 0);
    CHECK_FALSE(report[0].outcomes.lift); // no control group

    const TriggerResults& winback = report[1];
    CHECK(winback.outcomes.sent == 200);
    CHECK(winback.outcomes.seen == 110);
    CHECK(winback.outcomes.cost_vnd == 5500);
    CHECK(winback.outcomes.converted == 2);
    CHECK(winback.outcomes.revenue == 240'000);
    CHECK(winback.held_out == 20);
    CHECK(winback.control_converted == 2);
    REQUIRE(winback.templates.size() == 2);
    CHECK(winback.templates[0].template_id == "a");
    CHECK(winback.templates[0].outcomes.revenue == 150'000);
    CHECK(winback.templates[1].outcomes.revenue == 90'000);
    REQUIRE(winback.outcomes.lift);
    CHECK(winback.outcomes.lift->control_rate == Approx(0.1));
    REQUIRE(winback.templates[0].outcomes.lift);
    CHECK(winback.templates[0].outcomes.lift->treatment_rate == Approx(0.2));
    CHECK(winback.templates[0].outcomes.lift->lift == Approx(0.1));
    CHECK(winback.templates[1].outcomes.lift->lift == Approx(0.0));
}
