#include "handlers/ingress/zalo_parser.h"

#include <catch2/catch.hpp>

using namespace pheu::handlers;
using nlohmann::json;
namespace kind = pheu::bot::kind;

namespace {

constexpr std::int64_t k_received = 1800000000000;

// Each sample once with IDs and timestamps as JSON strings and once as JSON numbers.
json with_numbers(json body) {
    auto to_number = [](json& value) {
        if (value.is_string()) {
            value = std::stoull(value.get<std::string>());
        }
    };
    to_number(body["timestamp"]);
    for (const char* side : {"sender", "recipient", "follower"}) {
        if (body.contains(side)) {
            to_number(body[side]["id"]);
        }
    }
    for (const char* key : {"app_id", "oa_id", "user_id", "user_id_by_app"}) {
        if (body.contains(key)) {
            to_number(body[key]);
        }
    }
    return body;
}

void check_both_forms(const json& body, const std::function<void(const pheu::bot::InboundEvent&)>& check) {
    SECTION("ids and timestamps as strings") {
        check(parse_zalo_event(body, k_received));
    }
    SECTION("ids and timestamps as numbers") {
        check(parse_zalo_event(with_numbers(body), k_received));
    }
}

} // namespace

TEST_CASE("zalo user_send_text: the sender is the customer", "[unit][zalo]") {
    const json body = {{"app_id", "360846524940903967"},
                       {"sender", {{"id", "8958041078911298472"}}},
                       {"user_id_by_app", "552177279717587730"},
                       {"recipient", {{"id", "579745863508352884"}}},
                       {"event_name", "user_send_text"},
                       {"message", {{"text", "Khuyến mãi gì không shop?"}, {"msg_id", "96d3cdf3af150460909"}}},
                       {"timestamp", "1724921862647"}};
    check_both_forms(body, [](const auto& event) {
        CHECK(event.source == pheu::bot::EventSource::zalo);
        CHECK(event.kind == kind::message);
        CHECK(event.interaction);
        CHECK(event.customer.zalo_user_id == "8958041078911298472");
        CHECK(event.customer.zalo_app_user_id == "552177279717587730");
        CHECK(event.occurred_at_ms == 1724921862647);
        CHECK(event.content["text"] == "Khuyến mãi gì không shop?");
        CHECK(event.dedupe_key == "zalo:user_send_text:96d3cdf3af150460909");
    });
    CHECK(zalo_account_key(body).app_id == "360846524940903967");
    CHECK(zalo_account_key(body).oa_id == "579745863508352884");
}

TEST_CASE("zalo media messages keep their attachments and caption", "[unit][zalo]") {
    const json body = {{"app_id", "1"},
                       {"sender", {{"id", "111"}}},
                       {"recipient", {{"id", "222"}}},
                       {"event_name", "user_send_location"},
                       {"timestamp", "1724921862647"},
                       {"message",
                        {{"msg_id", "m1"},
                         {"text", "đây nè"},
                         {"quote_msg_id", "m0"},
                         {"attachments",
                          {{{"type", "location"},
                            {"payload", {{"coordinates", {{"latitude", "10.77"}, {"longitude", "106.69"}}}}}}}}}}};
    check_both_forms(body, [](const auto& event) {
        CHECK(event.kind == kind::message);
        CHECK(event.content["quote_msg_id"] == "m0");
        REQUIRE(event.content["attachments"].size() == 1);
        CHECK(event.content["attachments"][0]["type"] == "location");
        CHECK(event.content["attachments"][0]["payload"]["coordinates"]["latitude"] == "10.77");
    });
    for (const char* name : {"user_send_image", "user_send_link", "user_send_audio", "user_send_video",
                             "user_send_sticker", "user_send_gif", "user_send_file", "user_send_business_card"}) {
        json media = body;
        media["event_name"] = name;
        INFO(name);
        CHECK(parse_zalo_event(media, k_received).kind == kind::message);
    }
}

TEST_CASE("zalo follow and unfollow: the follower is the customer", "[unit][zalo]") {
    const json body = {{"oa_id", "579745863508352884"},  {"follower", {{"id", "8958041078911298472"}}},
                       {"event_name", "follow"},         {"source", "oa_profile"},
                       {"app_id", "360846524940903967"}, {"timestamp", "1724921862647"}};
    check_both_forms(body, [](const auto& event) {
        CHECK(event.kind == kind::follow);
        CHECK(event.interaction);
        CHECK(event.customer.zalo_user_id == "8958041078911298472");
        CHECK(event.content["source"] == "oa_profile");
        CHECK(event.dedupe_key == "zalo:follow:8958041078911298472:1724921862647");
    });
    json unfollow = body;
    unfollow["event_name"] = "unfollow";
    const auto event = parse_zalo_event(unfollow, k_received);
    CHECK(event.kind == kind::unfollow);
    CHECK_FALSE(event.interaction);
    CHECK(zalo_account_key(json{{"oa_id", "579745863508352884"}, {"event_name", "follow"}}).oa_id ==
          "579745863508352884");
}

TEST_CASE("zalo user_submit_info in both address layouts", "[unit][zalo]") {
    json body = {{"app_id", "1"},
                 {"sender", {{"id", "111"}}},
                 {"recipient", {{"id", "222"}}},
                 {"event_name", "user_submit_info"},
                 {"timestamp", "1724921862647"}};
    SECTION("nested full_address") {
        body["info"] = {
            {"name", "Nguyễn Thị Hoa"},
            {"phone", "84912345678"},
            {"user_dob", "12/05/1995"},
            {"gender", "female"},
            {"full_address", {{"user_city", "Hồ Chí Minh"}, {"user_ward", "Bến Nghé"}, {"user_address", "12 Lê Lợi"}}}};
        const auto event = parse_zalo_event(body, k_received);
        CHECK(event.kind == kind::info_submitted);
        CHECK(event.customer.phone == "84912345678");
        CHECK(event.customer.name == "Nguyễn Thị Hoa");
        CHECK(event.content["birthday"] == "12/05/1995");
        CHECK(event.content["address"]["city"] == "Hồ Chí Minh");
        CHECK(event.content["address"]["address"] == "12 Lê Lợi");
    }
    SECTION("flat address fields, phone as a number") {
        body["info"] = {{"name", "Hoa"}, {"phone", 84912345678LL}, {"address", "12 Lê Lợi"},
                        {"city", "HCM"}, {"district", "Quận 1"},   {"ward", "Bến Nghé"}};
        const auto event = parse_zalo_event(with_numbers(body), k_received);
        CHECK(event.customer.phone == "84912345678");
        CHECK(event.customer.zalo_user_id == "111");
        CHECK(event.content["address"]["district"] == "Quận 1");
        CHECK(event.content["address"]["city"] == "HCM");
    }
}

TEST_CASE("zalo user_click_chatnow names the user at the top level", "[unit][zalo]") {
    const json body = {{"oa_id", "222"},          {"user_id", "111"},
                       {"user_id_by_app", "333"}, {"event_name", "user_click_chatnow"},
                       {"app_id", "1"},           {"timestamp", "1724921862647"}};
    check_both_forms(body, [](const auto& event) {
        CHECK(event.kind == kind::chat_opened);
        CHECK(event.interaction);
        CHECK(event.customer.zalo_user_id == "111");
        CHECK(event.customer.zalo_app_user_id == "333");
    });
}

TEST_CASE("zalo tag events list their users", "[unit][zalo]") {
    const json body = {{"app_id", "1"},
                       {"oa_id", "222"},
                       {"user_id_by_app", "333"},
                       {"event_name", "add_user_to_tag"},
                       {"tag", {{"user_ids", {"111"}}, {"name", "VIP"}}},
                       {"timestamp", "1724921862647"}};
    check_both_forms(body, [](const auto& event) {
        CHECK(event.kind == kind::tag_changed);
        CHECK_FALSE(event.interaction);
        CHECK(event.customer.zalo_user_id == "111");
        CHECK(event.content["tag_name"] == "VIP");
    });
}

TEST_CASE("zalo receipts and echoes: the recipient is the customer", "[unit][zalo]") {
    const json received = {{"app_id", "1"},
                           {"sender", {{"id", "222"}}},
                           {"recipient", {{"id", "111"}}},
                           {"event_name", "user_received_message"},
                           {"message", {{"msg_id", "m1"}}},
                           {"timestamp", "1724921862647"}};
    check_both_forms(received, [](const auto& event) {
        CHECK(event.kind == kind::delivered);
        CHECK_FALSE(event.interaction);
        CHECK(event.customer.zalo_user_id == "111");
        CHECK(event.content["msg_ids"] == json{"m1"});
    });
    CHECK(
        zalo_account_key(
            json{{"sender", {{"id", "222"}}}, {"recipient", {{"id", "111"}}}, {"event_name", "user_received_message"}})
            .oa_id == "222");

    json seen = received;
    seen["event_name"] = "user_seen_message";
    seen["message"] = {{"msg_ids", {"m1", "m2"}}};
    const auto seen_event = parse_zalo_event(seen, k_received);
    CHECK(seen_event.kind == kind::seen);
    CHECK(seen_event.content["msg_ids"] == json{"m1", "m2"});

    json echo = received;
    echo["event_name"] = "oa_send_text";
    echo["sender"] = {{"id", "222"}, {"admin_id", "999"}};
    echo["message"] = {{"msg_id", "m3"}, {"text", "Chào bạn"}};
    const auto echo_event = parse_zalo_event(echo, k_received);
    CHECK(echo_event.kind == kind::echo);
    CHECK_FALSE(echo_event.interaction);
    CHECK(echo_event.customer.zalo_user_id == "111");
    CHECK(echo_event.content["admin_id"] == "999");
    CHECK(echo_event.content["text"] == "Chào bạn");

    json zns = received;
    zns["recipient"] = {{"id", "84912345678"}};
    zns["message"] = {{"msg_id", "z1"}, {"tracking_id", "order-9"}, {"delivery_time", "1724921862000"}};
    const auto zns_event = parse_zalo_event(zns, k_received);
    CHECK(zns_event.content["tracking_id"] == "order-9");
    CHECK(zns_event.customer.phone == "84912345678");
    CHECK(zns_event.customer.zalo_user_id.empty());
}

TEST_CASE("zalo anonymous users are known by their anonymous id", "[unit][zalo]") {
    const json body = {{"app_id", "1"},
                       {"recipient", {{"id", "222"}}},
                       {"anonymous_id", "anon-7"},
                       {"conversation_id", "conv-1"},
                       {"event_name", "anonymous_send_text"},
                       {"message", {{"text", "hi"}, {"msg_id", "a1"}}},
                       {"timestamp", "1724921862647"}};
    check_both_forms(body, [](const auto& event) {
        CHECK(event.kind == kind::message);
        CHECK(event.customer.zalo_anonymous_id == "anon-7");
        CHECK(event.content["conversation_id"] == "conv-1");
    });
}

TEST_CASE("zalo reactions, shop orders and unknown events", "[unit][zalo]") {
    const json reaction = {{"app_id", "1"},
                           {"sender", {{"id", "111"}}},
                           {"recipient", {{"id", "222"}}},
                           {"event_name", "user_reacted_message"},
                           {"message", {{"msg_id", "m1"}, {"react_icon", "/-heart"}}},
                           {"timestamp", "1724921862647"}};
    check_both_forms(reaction, [](const auto& event) {
        CHECK(event.kind == kind::reaction);
        CHECK(event.interaction);
        CHECK(event.customer.zalo_user_id == "111");
        CHECK(event.content["react_icon"] == "/-heart");
    });
    json oa_reaction = reaction;
    oa_reaction["event_name"] = "oa_reacted_message";
    oa_reaction["sender"] = {{"id", "222"}};
    oa_reaction["recipient"] = {{"id", "111"}};
    CHECK(parse_zalo_event(oa_reaction, k_received).customer.zalo_user_id == "111");
    CHECK_FALSE(parse_zalo_event(oa_reaction, k_received).interaction);

    const json order = {{"app_id", "1"},
                        {"oa_id", "222"},
                        {"event_name", "shop_has_order"},
                        {"customer", {{"id", "111"}}},
                        {"order", {{"id", 555}}},
                        {"timestamp", "1724921862647"}};
    const auto order_event = parse_zalo_event(order, k_received);
    CHECK(order_event.kind == kind::shop_order);
    CHECK(order_event.customer.zalo_user_id == "111");
    CHECK(order_event.content["order_id"] == "555");

    const json unknown = {{"app_id", "1"},
                          {"sender", {{"id", "111"}}},
                          {"recipient", {{"id", "222"}}},
                          {"event_name", "user_call_oa"},
                          {"timestamp", "1724921862647"}};
    const auto unknown_event = parse_zalo_event(unknown, k_received);
    CHECK(unknown_event.kind == kind::unknown);
    CHECK(unknown_event.name == "user_call_oa");
    CHECK(unknown_event.customer.zalo_user_id == "111");
}

TEST_CASE("a missing or unreadable zalo timestamp falls back to the receive time", "[unit][zalo]") {
    const json body = {{"app_id", "1"},
                       {"sender", {{"id", "111"}}},
                       {"event_name", "user_send_text"},
                       {"timestamp", "soon"},
                       {"message", {{"text", "x"}}}};
    CHECK(parse_zalo_event(body, k_received).occurred_at_ms == k_received);
    // No msg_id: event + user + timestamp identify it.
    CHECK(parse_zalo_event(body, k_received).dedupe_key == "zalo:user_send_text:111:soon");
}
