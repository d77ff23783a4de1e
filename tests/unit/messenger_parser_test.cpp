#include "handlers/ingress/messenger_parser.h"

#include <catch2/catch.hpp>

using namespace pheu::handlers;
using nlohmann::json;
namespace kind = pheu::bot::kind;

TEST_CASE("messenger batches become one event per messaging item", "[unit][messenger]") {
    const json body = json::parse(R"({"object":"page","entry":[
      {"id":"page-1","time":1724921862000,"messaging":[
        {"sender":{"id":"psid-1"},"recipient":{"id":"page-1"},"timestamp":1724921862001,
         "message":{"mid":"m.1","text":"Còn hàng không?","quick_reply":{"payload":"STOCK"},
                    "attachments":[{"type":"image","payload":{"url":"https://x/y.jpg"}}]}},
        {"sender":{"id":"page-1"},"recipient":{"id":"psid-1"},"timestamp":1724921862002,
         "message":{"mid":"m.2","text":"Dạ còn ạ","is_echo":true,"app_id":42}},
        {"sender":{"id":"psid-1"},"recipient":{"id":"page-1"},"timestamp":1724921862003,
         "postback":{"title":"Xem voucher","payload":"VOUCHER","mid":"m.3"}}
      ]},
      {"id":"page-1","time":1724921863000,"messaging":[
        {"sender":{"id":"psid-2"},"recipient":{"id":"page-1"},"timestamp":1724921863001,
         "delivery":{"mids":["m.2"],"watermark":1724921863000}},
        {"sender":{"id":"psid-2"},"recipient":{"id":"page-1"},"timestamp":1724921863002,
         "read":{"watermark":1724921863000}},
        {"sender":{"id":"psid-3"},"recipient":{"id":"page-1"},"timestamp":1724921863003,
         "referral":{"ref":"spring-ad","source":"ADS","type":"OPEN_THREAD"}},
        {"sender":{"id":"psid-3"},"recipient":{"id":"page-1"},"timestamp":1724921863004,
         "optin":{"ref":"x"}},
        "not an object"
      ]}]})");
    CHECK(messenger_page_id(body) == "page-1");
    const auto events = parse_messenger_events(body, 0);
    REQUIRE(events.size() == 7);

    const auto& message = events[0].event;
    CHECK(message.kind == kind::message);
    CHECK(message.interaction);
    CHECK(message.account_id == "page-1");
    CHECK(message.customer.messenger_psid == "psid-1");
    CHECK(message.occurred_at_ms == 1724921862001);
    CHECK(message.content["text"] == "Còn hàng không?");
    CHECK(message.content["quick_reply_payload"] == "STOCK");
    CHECK(message.content["attachments"][0]["payload"]["url"] == "https://x/y.jpg");
    CHECK(message.dedupe_key == "messenger:message:m.1");
    CHECK(json::parse(events[0].raw)["message"]["mid"] == "m.1");

    const auto& echo = events[1].event;
    CHECK(echo.kind == kind::echo);
    CHECK_FALSE(echo.interaction);
    CHECK(echo.customer.messenger_psid == "psid-1");
    CHECK(echo.content["app_id"] == "42");

    CHECK(events[2].event.kind == kind::postback);
    CHECK(events[2].event.content["payload"] == "VOUCHER");
    CHECK(events[2].event.interaction);

    CHECK(events[3].event.kind == kind::delivered);
    CHECK_FALSE(events[3].event.interaction);
    CHECK(events[3].event.content["mids"] == json{"m.2"});
    CHECK(events[3].event.dedupe_key == "messenger:page-1:psid-2:1724921863001:delivery");

    CHECK(events[4].event.kind == kind::seen);
    CHECK(events[5].event.kind == kind::referral);
    CHECK(events[5].event.content["ref"] == "spring-ad");
    CHECK(events[6].event.kind == kind::unknown);
    CHECK(events[6].event.name == "optin");
}

TEST_CASE("messenger ids given as numbers are kept as exact strings", "[unit][messenger]") {
    const json body = json::parse(R"({"object":"page","entry":[{"id":1234567890123456,"messaging":[
        {"sender":{"id":2345678901234567},"recipient":{"id":1234567890123456},"timestamp":"1724921862001",
         "message":{"mid":"m.9","text":"hi"}}]}]})");
    CHECK(messenger_page_id(body) == "1234567890123456");
    const auto events = parse_messenger_events(body, 0);
    REQUIRE(events.size() == 1);
    CHECK(events[0].event.customer.messenger_psid == "2345678901234567");
    CHECK(events[0].event.occurred_at_ms == 1724921862001);
}

TEST_CASE("a messenger is_echo that is not a boolean reads as a shopper's message, not a crash (found by fuzzing)",
          "[unit][messenger]") {
    const json body = json::parse(R"({"object":"page","entry":[{"id":"page-1","time":1,"messaging":[
        {"sender":{"id":"psid-1"},"recipient":{"id":"page-1"},"timestamp":2,
         "message":{"mid":"m.9","text":"chào","is_echo":"psid-"}}]}]})");
    const auto events = parse_messenger_events(body, 0);
    REQUIRE(events.size() == 1);
    CHECK(events[0].event.kind == kind::message);
}
