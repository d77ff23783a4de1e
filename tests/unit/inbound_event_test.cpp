#include "bot/inbound_event.h"
#include "common/json_text.h"

#include <catch2/catch.hpp>

#include <string>

using nlohmann::json;
using pheu::bot::event_json_text;
using pheu::bot::inbound_event_from_json;
using pheu::bot::InboundEvent;

namespace {

InboundEvent sample_event() {
    InboundEvent event;
    event.source = pheu::bot::EventSource::zalo;
    event.account_id = "oa-1";
    event.name = "user_send_text";
    event.kind = "message";
    event.interaction = true;
    event.customer.zalo_user_id = "8958041078911298472";
    event.customer.zalo_app_user_id = "app-7";
    event.customer.name = "Lan \"Bé\" Nguyễn\t\\";
    event.occurred_at_ms = 1795428900000;
    event.dedupe_key = "zalo:oa-1:msg-1";
    event.content = {{"text", "Shop có mã giảm giá không? 🙏"},
                     {"attachments", json::array({{{"type", "image"}, {"url", "https://x/y.jpg"}}})},
                     {"msg_id", "msg-1"}};
    return event;
}

// The document as nlohmann would write it, built member by member.
json reference_document(const InboundEvent& event) {
    json customer = json::object();
    const auto put = [&](const char* key, const std::string& value) {
        if (!value.empty()) {
            customer[key] = value;
        }
    };
    put("zalo_user_id", event.customer.zalo_user_id);
    put("zalo_app_user_id", event.customer.zalo_app_user_id);
    put("zalo_anonymous_id", event.customer.zalo_anonymous_id);
    put("messenger_psid", event.customer.messenger_psid);
    put("phone", event.customer.phone);
    put("external_id", event.customer.external_id);
    put("name", event.customer.name);
    return {{"source", pheu::bot::event_source_id(event.source)},
            {"account_id", event.account_id},
            {"name", event.name},
            {"kind", event.kind},
            {"interaction", event.interaction},
            {"customer", customer},
            {"occurred_at_ms", event.occurred_at_ms},
            {"dedupe_key", event.dedupe_key},
            {"content", event.content}};
}

} // namespace

TEST_CASE("the stored event text is the bytes nlohmann writes for the same document", "[unit][json]") {
    InboundEvent event = sample_event();
    CHECK(event_json_text(event) == reference_document(event).dump());

    SECTION("with no customer fields the customer is an empty object") {
        event.customer = {};
        const std::string text = event_json_text(event);
        CHECK(text == reference_document(event).dump());
        CHECK(text.find(R"("customer":{})") != std::string::npos);
    }
    SECTION("with every customer field and an empty content") {
        event.customer.zalo_anonymous_id = "anon-1";
        event.customer.messenger_psid = "psid-1";
        event.customer.phone = "84912345678";
        event.customer.external_id = "pos-9";
        event.content = json::object();
        event.interaction = false;
        event.occurred_at_ms = -1;
        CHECK(event_json_text(event) == reference_document(event).dump());
    }
}

TEST_CASE("the stored event text reads back as the same event", "[unit][json]") {
    const InboundEvent event = sample_event();
    const InboundEvent read = inbound_event_from_json(json::parse(event_json_text(event)));
    CHECK(read.source == event.source);
    CHECK(read.account_id == event.account_id);
    CHECK(read.name == event.name);
    CHECK(read.kind == event.kind);
    CHECK(read.interaction == event.interaction);
    CHECK(read.occurred_at_ms == event.occurred_at_ms);
    CHECK(read.dedupe_key == event.dedupe_key);
    CHECK(read.content == event.content);
    CHECK(read.customer.zalo_user_id == event.customer.zalo_user_id);
    CHECK(read.customer.zalo_app_user_id == event.customer.zalo_app_user_id);
    CHECK(read.customer.name == event.customer.name);
    CHECK(read.customer.phone.empty());
}

TEST_CASE("an object written member by member is compact JSON, nested objects closed in place", "[unit][json]") {
    std::string out;
    pheu::common::JsonObjectWriter object(out);
    object.member("a", "x\"y").member("b", true).member("c", std::int64_t{-42});
    pheu::common::JsonObjectWriter inner = object.object("d");
    inner.close();
    object.member("e", json::array({1, "two"}));
    object.close();
    CHECK(out == R"({"a":"x\"y","b":true,"c":-42,"d":{},"e":[1,"two"]})");
}

TEST_CASE("only what the shopper did on a platform opens its reply window", "[unit][inbound_event]") {
    pheu::bot::InboundEvent event;
    event.interaction = true;
    event.source = pheu::bot::EventSource::messenger;
    event.kind = pheu::bot::kind::message;
    CHECK(pheu::bot::opens_reply_window(event, pheu::bot::Channel::messenger));
    CHECK_FALSE(pheu::bot::opens_reply_window(event, pheu::bot::Channel::zalo));
    event.kind = pheu::bot::kind::postback;
    CHECK(pheu::bot::opens_reply_window(event, pheu::bot::Channel::messenger));
    event.kind = pheu::bot::kind::reaction;
    CHECK_FALSE(pheu::bot::opens_reply_window(event, pheu::bot::Channel::messenger));
    // A POS purchase naming a PSID is no Messenger conversation.
    event.source = pheu::bot::EventSource::events_api;
    event.kind = "purchase";
    CHECK_FALSE(pheu::bot::opens_reply_window(event, pheu::bot::Channel::messenger));
    event.source = pheu::bot::EventSource::zalo;
    event.kind = pheu::bot::kind::follow;
    CHECK(pheu::bot::opens_reply_window(event, pheu::bot::Channel::zalo));
    event.interaction = false; // a receipt
    CHECK_FALSE(pheu::bot::opens_reply_window(event, pheu::bot::Channel::zalo));
}

TEST_CASE("an event's source is stored by the ids the inbox has always held", "[unit][json]") {
    // Events stored before the source was a type must read back the same.
    using pheu::bot::EventSource;
    for (const auto& [source, id] :
         {std::pair{EventSource::zalo, "zalo"}, std::pair{EventSource::messenger, "messenger"},
          std::pair{EventSource::events_api, "events_api"}, std::pair{EventSource::miniapp, "miniapp"},
          std::pair{EventSource::imported, "import"}}) {
        InboundEvent event = sample_event();
        event.source = source;
        const json stored = json::parse(event_json_text(event));
        CHECK(stored["source"] == id);
        CHECK(inbound_event_from_json(stored).source == source);
    }
    json unknown = json::parse(event_json_text(sample_event()));
    unknown["source"] = "telegram";
    CHECK_THROWS_WITH(inbound_event_from_json(unknown), Catch::Contains("unknown source \"telegram\""));
    // Only the chat platforms' events came through a channel.
    CHECK(pheu::bot::chat_channel_of(EventSource::zalo) == pheu::bot::Channel::zalo);
    CHECK(pheu::bot::chat_channel_of(EventSource::messenger) == pheu::bot::Channel::messenger);
    CHECK_FALSE(pheu::bot::chat_channel_of(EventSource::miniapp));
    CHECK_FALSE(pheu::bot::chat_channel_of(EventSource::events_api));
}
