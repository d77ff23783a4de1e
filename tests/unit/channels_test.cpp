// The wire format of every platform call and the error tables, without a server.
#include "bot/channels/messenger_channel.h"
#include "bot/channels/platform_errors.h"
#include "bot/channels/zalo_oa_channel.h"

#include <catch2/catch.hpp>

using namespace pheu::bot::channels;
using nlohmann::json;
using pheu::bot::MessagePurpose;

namespace {

constexpr std::int64_t k_now = 1'800'000'000'000;
constexpr std::int64_t k_hour = 3'600'000;

OutboundItem zalo_text(const std::string& text) {
    OutboundItem item;
    item.id = 41;
    item.kind = pheu::store::OutboxKind::message;
    item.account_id = "oa-1";
    item.recipient = "8958041078911298472";
    item.text = text;
    return item;
}

HttpAnswer http(int status, const json& body) {
    HttpAnswer answer;
    answer.status = status;
    answer.body = body.dump();
    return answer;
}

} // namespace

TEST_CASE("Zalo consultation messages: text, buttons, image and a request for the user's info", "[unit][channels]") {
    const ZaloEndpoints endpoints{"https://openapi.zalo.me", "https://business.openapi.zalo.me"};
    OutboundItem item = zalo_text("Chào Lan 👋");
    HttpCall call = zalo_call_for(item, endpoints, "token-A");
    CHECK(call.method == "POST");
    CHECK(call.url == "https://openapi.zalo.me/v3.0/oa/message/cs");
    CHECK(call.headers.at("access_token") == "token-A");
    CHECK(json::parse(call.body) ==
          json{{"recipient", {{"user_id", "8958041078911298472"}}}, {"message", {{"text", "Chào Lan 👋"}}}});

    item.payload = {
        {"buttons",
         {{{"title", "Xem ưu đãi"}, {"payload", "VOUCHER"}}, {{"title", "Web"}, {"url", "https://shop.vn"}}}}};
    CHECK(zalo_cs_body(item)["message"] ==
          json{{"text", "Chào Lan 👋"},
               {"attachment",
                {{"type", "template"},
                 {"payload",
                  {{"buttons",
                    {{{"title", "Xem ưu đãi"}, {"type", "oa.query.hide"}, {"payload", "VOUCHER"}},
                     {{"title", "Web"}, {"type", "oa.open.url"}, {"payload", {{"url", "https://shop.vn"}}}}}}}}}}});

    item.payload = {{"image_url", "https://shop.vn/ao.jpg"}};
    CHECK(zalo_cs_body(item)["message"]["attachment"] ==
          json{{"type", "template"},
               {"payload",
                {{"template_type", "media"},
                 {"elements", {{{"media_type", "image"}, {"url", "https://shop.vn/ao.jpg"}}}}}}});

    item.payload = {{"request_user_info", {{"title", "Nhận quà sinh nhật"}, {"subtitle", "Chia sẻ ngày sinh"}}}};
    CHECK(zalo_cs_body(item)["message"] ==
          json{{"attachment",
                {{"type", "template"},
                 {"payload",
                  {{"template_type", "request_user_info"},
                   {"elements", {{{"title", "Nhận quà sinh nhật"}, {"subtitle", "Chia sẻ ngày sinh"}}}}}}}}});
}

TEST_CASE("Zalo templates by user id and by phone, tags and user detail", "[unit][channels]") {
    const ZaloEndpoints endpoints{"http://api", "http://zns"};
    OutboundItem item = zalo_text("ignored");
    item.phone = "84912345678";
    item.payload = {{"zalo_template", {{"template_id", "301"}, {"data", {{"name", "Lan"}}}}}};
    item.route = ZaloRoute::template_uid;
    HttpCall uid = zalo_call_for(item, endpoints, "t");
    CHECK(uid.url == "http://api/v3.0/oa/message/template");
    CHECK(json::parse(uid.body) ==
          json{{"user_id", "8958041078911298472"}, {"template_id", "301"}, {"template_data", {{"name", "Lan"}}}});
    item.route = ZaloRoute::zns;
    HttpCall zns = zalo_call_for(item, endpoints, "t");
    CHECK(zns.url == "http://zns/message/template");
    CHECK(zns.headers.at("access_token") == "t");
    CHECK(json::parse(zns.body) == json{{"phone", "84912345678"},
                                        {"template_id", "301"},
                                        {"template_data", {{"name", "Lan"}}},
                                        {"tracking_id", "pheu-41"}});
    CHECK(outbox_id_of_tracking_id("pheu-41") == 41);
    CHECK_FALSE(outbox_id_of_tracking_id("pheu-4x").has_value());
    CHECK_FALSE(outbox_id_of_tracking_id("other").has_value());

    OutboundItem tag = zalo_text("");
    tag.kind = pheu::store::OutboxKind::tag;
    tag.payload = {{"tag_name", "Lead mới"}};
    CHECK(zalo_call_for(tag, endpoints, "t").url == "http://api/v2.0/oa/tag/tagfollower");
    CHECK(json::parse(zalo_call_for(tag, endpoints, "t").body) ==
          json{{"user_id", "8958041078911298472"}, {"tag_name", "Lead mới"}});
    tag.kind = pheu::store::OutboxKind::untag;
    CHECK(zalo_call_for(tag, endpoints, "t").url == "http://api/v2.0/oa/tag/rmfollowerfromtag");

    OutboundItem profile = zalo_text("");
    profile.kind = pheu::store::OutboxKind::profile;
    const HttpCall detail = zalo_call_for(profile, endpoints, "t");
    CHECK(detail.method == "GET");
    CHECK(detail.url == "http://api/v3.0/oa/user/detail?data=%7B%22user_id%22%3A%228958041078911298472%22%7D");
}

TEST_CASE("Zalo answers: errors with HTTP 200 are read from the body", "[unit][channels]") {
    const SendResult sent =
        read_zalo_answer(http(200, {{"error", 0}, {"message", "Success"}, {"data", {{"message_id", "abc"}}}}));
    CHECK(sent.outcome == SendOutcome::sent);
    CHECK(sent.platform_message_id == "abc");
    CHECK(read_zalo_answer(http(200, {{"error", 0}, {"data", {{"msg_id", "zns-9"}}}})).platform_message_id == "zns-9");

    const std::vector<std::pair<long long, SendOutcome>> table = {
        {-32, SendOutcome::rate_limited},   {-216, SendOutcome::auth_expired},  {-220, SendOutcome::auth_expired},
        {-213, SendOutcome::window_closed}, {-217, SendOutcome::window_closed}, {-227, SendOutcome::window_closed},
        {-230, SendOutcome::window_closed}, {-232, SendOutcome::window_closed}, {-244, SendOutcome::window_closed},
        {-234, SendOutcome::night_blocked}, {-201, SendOutcome::permanent},     {-240, SendOutcome::permanent},
        {-100, SendOutcome::server_error},  {-108, SendOutcome::permanent}};
    for (const auto& [code, outcome] : table) {
        INFO(code);
        const SendResult result = read_zalo_answer(http(200, {{"error", code}, {"message", "m"}}));
        CHECK(result.outcome == outcome);
        CHECK(result.platform_code == std::to_string(code));
        CHECK(result.detail == "m");
    }
    CHECK(read_zalo_answer(http(200, {{"error", "-230"}})).outcome == SendOutcome::window_closed);
    CHECK(read_zalo_answer(http(503, json::object())).outcome == SendOutcome::server_error);
    HttpAnswer slow_down = http(429, json::object());
    slow_down.headers["retry-after"] = "7";
    CHECK(read_zalo_answer(slow_down).retry_after_ms == 7000);
    HttpAnswer refused;
    refused.failure = TransportFailure::not_sent;
    CHECK(read_zalo_answer(refused).outcome == SendOutcome::not_sent);
    HttpAnswer silent;
    silent.failure = TransportFailure::no_answer;
    CHECK(read_zalo_answer(silent).outcome == SendOutcome::outcome_unknown);
}

TEST_CASE("Messenger answers: Graph errors by code and subcode", "[unit][channels]") {
    auto error = [](int status, long long code, long long subcode = 0) {
        json body = {{"error", {{"message", "m"}, {"type", "OAuthException"}, {"code", code}, {"fbtrace_id", "x"}}}};
        if (subcode != 0) {
            body["error"]["error_subcode"] = subcode;
        }
        return read_messenger_answer(http(status, body));
    };
    CHECK(error(400, 4).outcome == SendOutcome::rate_limited);
    CHECK(error(400, 613).outcome == SendOutcome::rate_limited);
    CHECK(error(400, 80006).outcome == SendOutcome::rate_limited);
    CHECK(error(400, 190).outcome == SendOutcome::account_stopped);
    CHECK(error(400, 10, 2018278).outcome == SendOutcome::window_closed);
    CHECK(error(400, 10, 2018278).platform_code == "10/2018278");
    CHECK(error(400, 551).outcome == SendOutcome::permanent);
    CHECK(error(500, 2).outcome == SendOutcome::server_error);
    CHECK(read_messenger_answer(http(502, json::object())).outcome == SendOutcome::server_error);
    const SendResult sent = read_messenger_answer(http(200, {{"recipient_id", "1"}, {"message_id", "m_1"}}));
    CHECK(sent.outcome == SendOutcome::sent);
    CHECK(sent.platform_message_id == "m_1");
}

TEST_CASE("Messenger: RESPONSE inside 24 hours, outside, only non-promotional messages with a tag",
          "[unit][channels]") {
    CHECK(messenger_send_mode(true, MessagePurpose::conversation, k_now - 23 * k_hour, k_now).messaging_type ==
          "RESPONSE");
    const MessengerSendMode promotion =
        messenger_send_mode(true, MessagePurpose::conversation, k_now - 25 * k_hour, k_now);
    CHECK_FALSE(promotion.allowed);
    CHECK_THAT(promotion.reason, Catch::StartsWith("messenger_window_closed"));
    const MessengerSendMode receipt =
        messenger_send_mode(false, MessagePurpose::order_update, k_now - 48 * k_hour, k_now);
    CHECK(receipt.allowed);
    CHECK(receipt.messaging_type == "MESSAGE_TAG");
    CHECK(receipt.tag == "POST_PURCHASE_UPDATE");
    CHECK(messenger_send_mode(false, MessagePurpose::subscription_update, std::nullopt, k_now).tag == "ACCOUNT_UPDATE");
    CHECK_FALSE(messenger_send_mode(false, MessagePurpose::conversation, k_now - 30 * k_hour, k_now).allowed);
}

TEST_CASE("Messenger bodies: text, buttons as a template, quick replies for long text, pheu's metadata",
          "[unit][channels]") {
    OutboundItem item;
    item.id = 7;
    item.kind = pheu::store::OutboxKind::message;
    item.recipient = "psid-1";
    item.text = "Chào bạn";
    const MessengerSendMode response{true, "RESPONSE", "", ""};
    CHECK(messenger_send_body(item, response) == json{{"recipient", {{"id", "psid-1"}}},
                                                      {"messaging_type", "RESPONSE"},
                                                      {"message", {{"text", "Chào bạn"}, {"metadata", "pheu:7"}}}});
    item.payload = {
        {"buttons", {{{"title", "Ưu đãi"}, {"payload", "VOUCHER"}}, {{"title", "Web"}, {"url", "https://shop.vn"}}}}};
    CHECK(messenger_send_body(item, response)["message"] ==
          json{{"attachment",
                {{"type", "template"},
                 {"payload",
                  {{"template_type", "button"},
                   {"text", "Chào bạn"},
                   {"buttons",
                    {{{"type", "postback"}, {"title", "Ưu đãi"}, {"payload", "VOUCHER"}},
                     {{"type", "web_url"}, {"url", "https://shop.vn"}, {"title", "Web"}}}}}}}},
               {"metadata", "pheu:7"}});
    item.text = std::string(700, 'a');
    const json long_text =
        messenger_send_body(item, MessengerSendMode{true, "MESSAGE_TAG", "POST_PURCHASE_UPDATE", ""});
    CHECK(long_text["tag"] == "POST_PURCHASE_UPDATE");
    CHECK(long_text["message"]["quick_replies"] ==
          json{{{"content_type", "text"}, {"title", "Ưu đãi"}, {"payload", "VOUCHER"}}});
    CHECK(outbox_id_of_metadata("pheu:7") == 7);
    CHECK_FALSE(outbox_id_of_metadata("pheu").has_value());
    CHECK_FALSE(outbox_id_of_metadata("staff note").has_value());
}

TEST_CASE("a Zalo follower's profile: name and the larger avatar, and no throw on odd types", "[unit][channels]") {
    using pheu::bot::channels::zalo_follower_profile;
    const auto full = zalo_follower_profile(nlohmann::json::parse(
        R"({"display_name":"Lan Nguyễn","avatar":"https://a/120.jpg","avatars":{"120":"https://a/120.jpg","240":"https://a/240.jpg"}})"));
    CHECK(full.display_name == "Lan Nguyễn");
    CHECK(full.avatar_url == "https://a/240.jpg");
    const auto no_large =
        zalo_follower_profile(nlohmann::json::parse(R"({"display_name":"Minh","avatar":"https://a/1.jpg"})"));
    CHECK(no_large.avatar_url == "https://a/1.jpg");
    // A field of another type (Zalo has sent null) must not throw inside the dispatcher's
    // record transaction: it left the batch's rows claimed.
    const auto odd = zalo_follower_profile(nlohmann::json::parse(R"({"display_name":null,"avatars":[],"avatar":7})"));
    CHECK(odd.display_name.empty());
    CHECK(odd.avatar_url.empty());
    CHECK(zalo_follower_profile(nlohmann::json()).display_name.empty());
}
