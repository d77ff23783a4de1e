#include "bot/trigger.h"
#include "bot/playbook/playbook.h"
#include "common/input_error.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;

TEST_CASE("a trigger reads back as the text it is written as", "[unit][playbook]") {
    const Trigger written[] = {Trigger::event("purchase"),  Trigger::stage_entered(Stage::dormant),
                               Trigger::keyword("voucher"), Trigger::first_contact(),
                               Trigger::survey_answered(),  Trigger::journey_step("lead_cadence", "day_1")};
    const char* texts[] = {"event:purchase", "stage_entered:dormant", "keyword:voucher",
                           "first_contact",  "survey_answered",       "journey:lead_cadence/day_1"};
    for (std::size_t i = 0; i < std::size(written); ++i) {
        INFO(texts[i]);
        CHECK(written[i].text() == texts[i]);
        const auto read = Trigger::parse(texts[i]);
        REQUIRE(read);
        CHECK(*read == written[i]);
        CHECK(read->kind() == written[i].kind());
    }
    CHECK(Trigger::parse("event:cart_cleared")->argument() == "cart_cleared");
    CHECK(Trigger::parse("stage_entered:new_lead")->argument() == "new_lead");
    CHECK(Trigger::parse("journey:winback/survey")->argument() == "winback/survey");
    CHECK(Trigger::first_contact().argument().empty());
}

TEST_CASE("text that is no trigger is not read as one", "[unit][playbook]") {
    for (const char* text : {"", "event:", "keyword:", "stage_entered:", "stage_entered:vip", "journey:lead_cadence",
                             "journey:", "first_contact:x", "Event:purchase", "purchase", "keyword"}) {
        INFO(text);
        CHECK_FALSE(Trigger::parse(text));
    }
}

TEST_CASE("a trigger says what its message is for", "[unit][playbook]") {
    // Which decides the Messenger tag a message may use outside the 24-hour window.
    for (const char* order : {"event:purchase", "event:order_cancelled", "event:shop_order"}) {
        INFO(order);
        CHECK(Trigger::parse(order)->purpose() == MessagePurpose::order_update);
    }
    for (const char* subscription : {"keyword:stop", "keyword:start", "keyword:stop_unclear"}) {
        INFO(subscription);
        CHECK(Trigger::parse(subscription)->purpose() == MessagePurpose::subscription_update);
    }
    for (const char* other :
         {"keyword:voucher", "keyword:shop_info", "journey:lead_cadence/day_1", "first_contact",
          "stage_entered:dormant", "event:follow", "keyword:stopwatch_price", "event:stop", "journey:purchase/stop"}) {
        INFO(other);
        CHECK(Trigger::parse(other)->purpose() == MessagePurpose::conversation);
    }
    // A row an older pheu wrote with text that is no trigger is a conversation.
    CHECK(purpose_of_stored_trigger("something else") == MessagePurpose::conversation);
    CHECK(purpose_of_stored_trigger("keyword:stop") == MessagePurpose::subscription_update);
}

TEST_CASE("a staff reply's trigger reads back, and no rule may answer to it", "[unit][playbook]") {
    REQUIRE(Trigger::parse("staff_reply"));
    CHECK(Trigger::parse("staff_reply")->kind() == TriggerKind::staff_reply);
    CHECK(Trigger::staff_reply().text() == "staff_reply");
    CHECK(Trigger::staff_reply().argument().empty());
    CHECK(Trigger::staff_reply().purpose() == MessagePurpose::conversation);
    CHECK_THROWS_AS(parse_playbook({{"rules", {{{"id", "x"}, {"trigger", "staff_reply"}, {"template", "t"}}}}}),
                    pheu::common::InputRejected);
}
