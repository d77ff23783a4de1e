// The live transport against local fakes of the Zalo OpenAPI, Zalo OAuth, ZNS and the
// Messenger Send API (tests/support/fake_platforms.h): the wire format of every call, token
// rotation, retries, refusals, in-doubt sends, echoes and receipts.
#include "store/sql/connection.h"
#include "tests/support/fake_platforms.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <unistd.h>

using namespace pheu::testing;
using nlohmann::json;

namespace {

constexpr const char* k_cs = "/v3.0/oa/message/cs";

// The one message of `customer_id` with `trigger`, once its status is no longer "queued"
// (or once `settled` says so).
json settled_message(Shop& shop, const std::string& customer_id, const std::string& trigger,
                     const std::function<bool(const json&)>& settled = {}) {
    json message;
    const bool done = eventually([&] {
        const json found = with_trigger(shop.messages_of(customer_id), trigger);
        if (found.size() != 1) {
            return false;
        }
        message = found[0];
        return settled ? settled(message) : message["status"] != "queued";
    });
    INFO(message.dump());
    REQUIRE(done);
    return message;
}

std::string customer_id_of(Shop& shop, const std::string& zalo_user) {
    return shop.customer_by("zalo_user_id=" + zalo_user)["id"];
}

std::set<std::string> cs_recipients(const FakePlatforms& fake) {
    std::set<std::string> recipients;
    for (const auto& request : fake.accepted(k_cs)) {
        recipients.insert(request.json_body()["recipient"]["user_id"].get<std::string>());
    }
    return recipients;
}

void put_setting(const std::string& database, const std::string& key, const json& value) {
    const auto db = pheu::store::sql::open_connection(database);
    auto upsert = db->prepare("INSERT INTO settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    upsert->bind(1, key);
    upsert->bind(2, value.dump());
    upsert->run();
}

json zalo_receipt(const std::string& event_name, const std::string& user, const json& message, std::int64_t at_ms) {
    return {{"app_id", "app-1"},           {"event_name", event_name}, {"sender", {{"id", "oa-1"}}},
            {"recipient", {{"id", user}}}, {"message", message},       {"timestamp", std::to_string(at_ms)}};
}

} // namespace

TEST_CASE("a new Zalo follower is welcomed, tagged and looked up in the platform's wire format",
          "[integration][delivery]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    shop.send_zalo(follow_body("zalo-u1", shop.clock.now()));
    const std::string id = customer_id_of(shop, "zalo-u1");
    const json welcome = settled_message(shop, id, "event:follow");
    CHECK(welcome["status"] == "sent");
    CHECK(welcome["via"] == "cs");
    CHECK(welcome["attempts"] == 1);
    CHECK(welcome["sent_at"].is_string());
    CHECK(welcome["platform_message_id"].get<std::string>().rfind("zmsg-", 0) == 0);

    const auto sends = fake.accepted(k_cs);
    REQUIRE(sends.size() == 1);
    CHECK(sends[0].method == "POST");
    CHECK(sends[0].header("access_token") == "zalo-access-0");
    CHECK(sends[0].header("Content-Type") == "application/json");
    const json body = sends[0].json_body();
    CHECK(body["recipient"] == json{{"user_id", "zalo-u1"}});
    CHECK(body["message"]["text"] == welcome["text"]);
    // The welcome waited for the follower's profile: it greets them by their given name.
    CHECK(welcome["text"].get<std::string>().rfind("Chào Lan!", 0) == 0);
    // The welcome's buttons, as Zalo draws them.
    REQUIRE(body["message"]["attachment"]["payload"]["buttons"].size() == 3);
    CHECK(body["message"]["attachment"]["payload"]["buttons"][0] ==
          json{{"title", "Xem ưu đãi"}, {"type", "oa.query.hide"}, {"payload", "VOUCHER"}});

    // The stage's OA tag, and the follower's name and avatar from the user detail API.
    REQUIRE(eventually([&] { return fake.accepted("/v2.0/oa/tag/tagfollower").size() == 1; }));
    CHECK(fake.accepted("/v2.0/oa/tag/tagfollower")[0].json_body() ==
          json{{"user_id", "zalo-u1"}, {"tag_name", "Lead mới"}});
    REQUIRE(eventually([&] { return !shop.admin_get("/api/v1/customers/" + id)["name"].is_null(); }));
    const auto detail = fake.accepted("/v3.0/oa/user/detail");
    REQUIRE(detail.size() == 1);
    CHECK(detail[0].method == "GET");
    CHECK(json::parse(detail[0].query.at("data")) == json{{"user_id", "zalo-u1"}});
    CHECK(detail[0].header("access_token") == "zalo-access-0");
    CHECK(shop.admin_get("/api/v1/customers/" + id)["name"] == "Lan Nguyễn");
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM customers WHERE avatar_url = 'https://s240.avatar.talk.zdn.vn/lan.jpg'") ==
          1);

    // Receipts set delivered and seen times; the echo of pheu's own send is not staff.
    const std::string msg_id = welcome["platform_message_id"];
    const std::int64_t now = shop.clock.now();
    shop.send_zalo(zalo_receipt("oa_send_text", "zalo-u1", {{"text", welcome["text"]}, {"msg_id", msg_id}}, now));
    shop.send_zalo(zalo_receipt("user_received_message", "zalo-u1", {{"msg_id", msg_id}}, now + 1000));
    shop.send_zalo(zalo_receipt("user_seen_message", "zalo-u1", {{"msg_ids", {msg_id}}}, now + 2000));
    const json receipted = with_trigger(shop.messages_of(id), "event:follow")[0];
    CHECK(receipted["delivered_at"].is_string());
    CHECK(receipted["seen_at"].is_string());
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE echoed_at IS NOT NULL") == 1);
    shop.send_zalo(zalo_text_body("zalo-u1", "cho mình xin địa chỉ shop", "u1-m1", now + 3000));
    CHECK(settled_message(shop, id, "keyword:shop_info")["status"] == "sent");
}

TEST_CASE(
    "an expired token in the middle of 50 concurrent sends costs one refresh, the rotated pair survives a restart",
    "[integration][delivery]") {
    FakePlatforms fake;
    const auto customise = live_on(fake, [](pheu::bot::Config& config) {
        config.delivery.concurrency = 16;
        config.delivery.request_timeout_ms = 30000; // held calls are slow, not lost
    });
    auto shop = std::make_unique<Shop>(customise);
    fake.hold();
    for (int i = 0; i < 50; ++i) {
        shop->send_zalo(follow_body("zalo-burst-" + std::to_string(i), shop->clock.now()));
    }
    REQUIRE(eventually([&] { return fake.waiting() >= 16; }));
    // The token expires while 16 calls are in flight: every one of them answers -216.
    fake.set_zalo_tokens("zalo-access-revoked", fake.zalo_refresh_token());
    fake.release();
    const std::string database = shop->server.database();
    const bool all_sent = eventually([&] {
        return query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'sent'") == 50;
    });
    if (!all_sent) {
        const auto db = pheu::store::sql::open_connection(database);
        auto rows = db->prepare("SELECT id, kind, status, coalesce(reason, ''), attempts FROM outbox "
                                "WHERE status != 'sent'");
        while (rows->step()) {
            UNSCOPED_INFO(rows->int64(0) << " " << rows->text(1) << " " << rows->text(2) << " " << rows->text(3) << " "
                                         << rows->int64(4));
        }
    }
    REQUIRE(eventually([&] {
        return query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'sent'") == 50;
    }));
    CHECK(fake.refresh_count() == 1);
    CHECK(cs_recipients(fake).size() == 50);
    CHECK(fake.accepted(k_cs).size() == 50);
    const auto refreshes = fake.accepted("/v4/oa/access_token");
    REQUIRE(refreshes.size() == 1);
    CHECK(refreshes[0].header("secret_key") == FakePlatforms::k_app_secret);
    CHECK(refreshes[0].header("Content-Type") == "application/x-www-form-urlencoded");
    CHECK(refreshes[0].body == "refresh_token=zalo-refresh-0&app_id=app-1&grant_type=refresh_token");
    {
        const auto db = pheu::store::sql::open_connection(database);
        auto token = db->prepare("SELECT access_token, refresh_token FROM channel_tokens WHERE account_id = 'oa-1'");
        REQUIRE(token->step());
        CHECK(token->text(0) == "zalo-access-1");
        CHECK(token->text(1) == "zalo-refresh-1");
    }

    // A restart reads the rotated pair from the database, not the spent one in the config.
    shop->server.stop();
    Shop restarted(live_on(fake, [&](pheu::bot::Config& config) {
        config.database = database;
        config.zalo_accounts[0].access_token = "zalo-access-0";
        config.zalo_accounts[0].refresh_token = "zalo-refresh-0";
    }));
    restarted.send_zalo(follow_body("zalo-after-restart", restarted.clock.now()));
    const std::string id = customer_id_of(restarted, "zalo-after-restart");
    CHECK(settled_message(restarted, id, "event:follow")["status"] == "sent");
    CHECK(fake.refresh_count() == 1);
    CHECK(fake.accepted(k_cs).back().header("access_token") == "zalo-access-1");
}

TEST_CASE("retryable errors end in exactly one delivery", "[integration][delivery]") {
    FakePlatforms fake;
    // One sender, so the scripted answers meet the messages in the order they were decided.
    Shop shop(live_on(fake, [](pheu::bot::Config& config) { config.delivery.concurrency = 1; }));
    fake.script(k_cs, {200, {{"error", -32}, {"message", "reached the rate limit"}}, 0, {}});
    fake.script(k_cs, {503, json::object(), 0, {}});
    fake.script(k_cs, {429, json::object(), 0, {{"Retry-After", "1"}}});
    shop.send_zalo(follow_body("zalo-retry", shop.clock.now()));
    const json welcome = settled_message(shop, customer_id_of(shop, "zalo-retry"), "event:follow");
    CHECK(welcome["status"] == "sent");
    CHECK(welcome["attempts"] == 4);
    CHECK(fake.requests(k_cs).size() == 4);
    CHECK(fake.accepted(k_cs).size() == 1);

    // Messenger's rate limit (613), then success.
    fake.script(
        "/v21.0/me/messages",
        {400, {{"error", {{"message", "Calls to this api have exceeded the rate limit."}, {"code", 613}}}}, 0, {}});
    shop.send_messenger(messenger_text_body("psid-retry", "xin chào shop", "mid-r1", shop.clock.now()));
    const std::string id = shop.customer_by("messenger_psid=psid-retry")["id"];
    const json reply = settled_message(shop, id, "first_contact");
    CHECK(reply["status"] == "sent");
    CHECK(reply["attempts"] == 2);
    CHECK(fake.accepted("/v21.0/me/messages").size() >= 1);
    std::set<std::string> metadata;
    for (const auto& request : fake.accepted("/v21.0/me/messages")) {
        CHECK(metadata.insert(request.json_body()["message"]["metadata"].get<std::string>()).second);
    }
}

TEST_CASE("messages refused together are retried spread in time, not in step", "[integration][delivery]") {
    FakePlatforms fake;
    constexpr int k_senders = 16;
    // Base and cap 1 s: each first retry is planned 500-1000 ms after its refusal, far above
    // the dispatch noise (under 50 ms with the sanitizers), so only jitter can spread them.
    // Each follow sends a tag and a profile lookup, held together (not one may time out while
    // held); its welcome waits for the profile, so all sixteen go, and are refused, together
    // right after the release.
    constexpr int k_calls_per_follow = 2;
    Shop shop(live_on(fake, [](pheu::bot::Config& config) {
        config.delivery.concurrency = k_senders * k_calls_per_follow;
        config.delivery.request_timeout_ms = 20000;
        config.delivery.retry_base_ms = 1000;
        config.delivery.retry_max_ms = 1000;
    }));
    fake.script(k_cs, {503, json::object(), 0, {}}, k_senders);
    fake.hold();
    auto client = shop.server.client();
    for (int i = 0; i < k_senders; ++i) {
        auto result = post_signed_zalo(client, follow_body("zalo-herd-" + std::to_string(i), shop.clock.now()));
        REQUIRE(result);
        REQUIRE(result->status == 200);
    }
    REQUIRE(eventually([&] { return fake.waiting() >= k_senders * k_calls_per_follow; }));
    const auto released = std::chrono::steady_clock::now();
    fake.release(); // the profiles answer; the sixteen welcomes go and are refused at once
    REQUIRE(eventually([&] { return fake.accepted(k_cs).size() >= static_cast<std::size_t>(k_senders); }));
    std::vector<double> retried_after_ms;
    for (const auto& request : fake.accepted(k_cs)) {
        retried_after_ms.push_back(std::chrono::duration<double, std::milli>(request.arrived - released).count());
    }
    std::sort(retried_after_ms.begin(), retried_after_ms.end());
    REQUIRE(retried_after_ms.size() == static_cast<std::size_t>(k_senders));
    // None before half the base delay after its refusal (less a little: pheu plans in whole ms).
    CHECK(retried_after_ms.front() >= 495.0);
    // In step they come back within tens of milliseconds of each other (28-47 ms measured with
    // the jitter taken out); drawn over 500 ms, sixteen span less than 150 ms with a chance
    // below 1e-6.
    CHECK(retried_after_ms.back() - retried_after_ms.front() >= 150.0);
}

TEST_CASE(
    "permanent and window errors end failed or skipped with the platform's code, a mapped template is the fallback",
    "[integration][delivery]") {
    FakePlatforms fake;
    Shop shop(live_on(fake, [](pheu::bot::Config& config) { config.delivery.concurrency = 1; }));
    fake.script(k_cs, {200, {{"error", -201}, {"message", "Parameters are invalid"}}, 0, {}});
    shop.send_zalo(follow_body("zalo-bad", shop.clock.now()));
    const json failed = settled_message(shop, customer_id_of(shop, "zalo-bad"), "event:follow");
    CHECK(failed["status"] == "failed");
    CHECK(failed["platform_code"] == "-201");
    CHECK(failed["reason"] == "permanent: zalo -201 Parameters are invalid");
    CHECK(fake.requests(k_cs).size() == 1);
    // Shop staff retry it from the console once the cause is fixed.
    const auto retried =
        shop.admin_send("POST", "/api/v1/messages/" + failed["id"].get<std::string>() + "/retry", json::object());
    CHECK(retried.first == 200);
    CHECK(settled_message(shop, customer_id_of(shop, "zalo-bad"), "event:follow",
                          [](const json& message) { return message["status"] == "sent"; })["attempts"] == 2);
    CHECK(fake.accepted(k_cs).size() == 1);

    fake.script(k_cs,
                {200, {{"error", -230}, {"message", "User has not interacted with the OA in the past 7 days"}}, 0, {}});
    shop.send_zalo(follow_body("zalo-quiet", shop.clock.now()));
    const json skipped = settled_message(shop, customer_id_of(shop, "zalo-quiet"), "event:follow");
    CHECK(skipped["status"] == "skipped");
    CHECK(skipped["platform_code"] == "-230");
    CHECK(fake.requests(k_cs).size() == 3);

    // With the shop's template mapped, the welcome goes as a template message by user id…
    put_setting(shop.server.database(), "zalo_templates",
                {{"welcome_follow", {{"template_id", "301"}, {"data", {{"code", "{{voucher.code}}"}}}}},
                 {"welcome_chat", {{"template_id", "302"}, {"via", "zns"}, {"data", {{"shop", "{{shop.name}}"}}}}}});
    fake.script(k_cs, {200, {{"error", -230}, {"message", "User has not interacted"}}, 0, {}});
    shop.send_zalo(follow_body("zalo-template", shop.clock.now()));
    const json by_template = settled_message(shop, customer_id_of(shop, "zalo-template"), "event:follow");
    CHECK(by_template["status"] == "sent");
    CHECK(by_template["via"] == "template");
    const auto templates = fake.accepted("/v3.0/oa/message/template");
    REQUIRE(templates.size() == 1);
    const json template_body = templates[0].json_body();
    CHECK(template_body["user_id"] == "zalo-template");
    CHECK(template_body["template_id"] == "301");
    CHECK(template_body["template_data"]["code"].get<std::string>().size() >= 6);
    CHECK(templates[0].header("access_token") == "zalo-access-0");

    // …and, mapped to ZNS, by phone, with a tracking id its receipt comes back with.
    shop.send_events({{{"event_id", "view-1"},
                       {"type", "product_viewed"},
                       {"occurred_at", days_ago(shop.clock, 0)},
                       {"customer", {{"zalo_user_id", "zalo-zns"}, {"phone", "0912345678"}}},
                       {"properties", {{"sku", "AO-1"}}}}});
    fake.script(k_cs, {200, {{"error", -213}, {"message", "User has not followed the OA"}}, 0, {}});
    shop.send_zalo(zalo_text_body("zalo-zns", "xin chào", "zns-m1", shop.clock.now()));
    const std::string zns_customer = customer_id_of(shop, "zalo-zns");
    const json by_zns = settled_message(shop, zns_customer, "first_contact");
    CHECK(by_zns["status"] == "sent");
    CHECK(by_zns["via"] == "zns");
    const auto zns = fake.accepted("/message/template");
    REQUIRE(zns.size() == 1);
    CHECK(zns[0].json_body()["phone"] == "84912345678");
    CHECK(zns[0].json_body()["template_id"] == "302");
    CHECK(zns[0].json_body()["tracking_id"] == "pheu-" + by_zns["id"].get<std::string>());
    shop.send_zalo({{"app_id", "app-1"},
                    {"event_name", "user_received_message"},
                    {"sender", {{"id", "oa-1"}}},
                    {"recipient", {{"id", "84912345678"}}},
                    {"message",
                     {{"msg_id", by_zns["platform_message_id"]},
                      {"tracking_id", zns[0].json_body()["tracking_id"]},
                      {"delivery_time", std::to_string(shop.clock.now())}}},
                    {"timestamp", std::to_string(shop.clock.now())}});
    CHECK(with_trigger(shop.messages_of(zns_customer), "first_contact")[0]["delivered_at"].is_string());
}

TEST_CASE("Zalo's night rule sends the message in the morning", "[integration][delivery]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    advance_to_local_hour(shop.clock, 23);
    fake.script(k_cs, {200, {{"error", -234}, {"message", "Cannot send at night"}}, 0, {}});
    shop.send_zalo(follow_body("zalo-night", shop.clock.now()));
    const std::string id = customer_id_of(shop, "zalo-night");
    const json waiting = settled_message(shop, id, "event:follow", [](const json& message) {
        return message["reason"].is_string() && message["reason"].get<std::string>().rfind("zalo_night", 0) == 0;
    });
    CHECK(waiting["status"] == "queued");
    CHECK(fake.requests(k_cs).size() == 1);
    advance_to_local_hour(shop.clock, 7);
    CHECK(settled_message(shop, id, "event:follow")["status"] == "sent");
    CHECK(fake.accepted(k_cs).size() == 1);
}

TEST_CASE("Messenger sends inside the window with pheu's metadata, a refused page token stops the page",
          "[integration][delivery]") {
    FakePlatforms fake;
    {
        Shop shop(live_on(fake));
        const std::int64_t now = shop.clock.now();
        shop.send_messenger(messenger_text_body("psid-1", "xin chào", "mid-1", now));
        const std::string id = shop.customer_by("messenger_psid=psid-1")["id"];
        const json welcome = settled_message(shop, id, "first_contact");
        CHECK(welcome["status"] == "sent");
        CHECK(welcome["via"] == "response");
        std::vector<RecordedRequest> sends;
        for (auto& request : fake.accepted("/v21.0/me/messages")) {
            if (request.json_body()["message"]["metadata"] == "pheu:" + welcome["id"].get<std::string>()) {
                sends.push_back(std::move(request));
            }
        }
        REQUIRE(sends.size() == 1);
        CHECK(sends[0].query.at("access_token") == FakePlatforms::k_page_token);
        const json body = sends[0].json_body();
        CHECK(body["recipient"] == json{{"id", "psid-1"}});
        CHECK(body["messaging_type"] == "RESPONSE");

        // Meta echoes the send with its metadata, then reports delivery and reading.
        const std::string mid = welcome["platform_message_id"];
        auto item = [&](const json& fields) {
            json messaging = {
                {"sender", {{"id", "psid-1"}}}, {"recipient", {{"id", "page-1"}}}, {"timestamp", now + 10}};
            messaging.update(fields);
            return json{{"object", "page"}, {"entry", {{{"id", "page-1"}, {"time", now}, {"messaging", {messaging}}}}}};
        };
        shop.send_messenger(item({{"sender", {{"id", "page-1"}}},
                                  {"recipient", {{"id", "psid-1"}}},
                                  {"message",
                                   {{"mid", mid},
                                    {"is_echo", true},
                                    {"text", welcome["text"]},
                                    {"metadata", body["message"]["metadata"]}}}}));
        // Watermarks are read as "everything sent up to now".
        shop.send_messenger(item({{"delivery", {{"mids", {mid}}, {"watermark", shop.clock.now()}}}}));
        shop.send_messenger(item({{"read", {{"watermark", shop.clock.now()}}}}));
        const json receipted = with_trigger(shop.messages_of(id), "first_contact")[0];
        CHECK(receipted["delivered_at"].is_string());
        CHECK(receipted["seen_at"].is_string());
        // The echo was pheu's own: the shopper's next question is answered, not handed off.
        shop.send_messenger(messenger_text_body("psid-1", "địa chỉ shop ở đâu", "mid-2", now + 40));
        CHECK(settled_message(shop, id, "keyword:shop_info")["status"] == "sent");
    }
    Shop shop(
        live_on(fake, [](pheu::bot::Config& config) { config.messenger_pages[0].page_access_token = "expired"; }));
    shop.send_messenger(messenger_text_body("psid-2", "xin chào", "mid-3", shop.clock.now()));
    const std::string id = shop.customer_by("messenger_psid=psid-2")["id"];
    const json waiting = settled_message(shop, id, "first_contact", [](const json& message) {
        return message["reason"].is_string() && message["reason"].get<std::string>().rfind("waiting:", 0) == 0;
    });
    CHECK(waiting["status"] == "queued");
    CHECK(waiting["platform_code"] == "190");
    const json health = json::parse(shop.server.client().Get("/healthz")->body);
    CHECK(health["status"] == "ok");
    CHECK(health["stopped_accounts"]["messenger:page-1"]["reason"].get<std::string>().find("190") != std::string::npos);
    // The console's settings show the shop which account stopped and why.
    bool page_shown = false;
    const json connections = shop.admin_get("/api/v1/connections");
    for (const auto& connection : connections["items"]) {
        if (connection["channel"] == "messenger" && connection["account_id"] == "page-1") {
            page_shown = true;
            CHECK(connection["working"] == false);
            CHECK(connection["reason"].get<std::string>().find("190") != std::string::npos);
            CHECK(connection["since"].is_string());
        }
    }
    CHECK(page_shown);
    CHECK(
        shop.server.client().Get("/metrics")->body.find(R"(pheu_account_up{account="page-1",channel="messenger"} 0)") !=
        std::string::npos);
    // A stopped page is not called again.
    const std::size_t calls = fake.requests("/v21.0/me/messages").size();
    shop.send_messenger(messenger_text_body("psid-2", "còn ai không", "mid-4", shop.clock.now()));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(fake.requests("/v21.0/me/messages").size() == calls);
}

TEST_CASE("a send that times out is held in doubt and never resent, its echo settles it, else it fails after the grace",
          "[integration][delivery]") {
    FakePlatforms fake;
    Shop shop(live_on(fake, [](pheu::bot::Config& config) { config.delivery.in_doubt_grace_seconds = 2; }));
    // The platform takes the message but answers after pheu has stopped waiting.
    fake.script(k_cs, {200, json(), 1200, {}}, 2);
    shop.send_zalo(follow_body("zalo-slow", shop.clock.now()));
    const std::string id = customer_id_of(shop, "zalo-slow");
    const json doubt = settled_message(shop, id, "event:follow", [](const json& message) {
        return message["reason"].is_string() && message["reason"].get<std::string>().rfind("outcome_unknown", 0) == 0;
    });
    CHECK(doubt["status"] == "queued");
    shop.send_zalo(zalo_receipt("oa_send_text", "zalo-slow", {{"text", doubt["text"]}, {"msg_id", "zmsg-late"}},
                                shop.clock.now()));
    const json settled = settled_message(shop, id, "event:follow");
    CHECK(settled["status"] == "sent");
    CHECK(settled["platform_message_id"] == "zmsg-late");

    shop.send_zalo(follow_body("zalo-slow-2", shop.clock.now()));
    const std::string second = customer_id_of(shop, "zalo-slow-2");
    const json failed = settled_message(shop, second, "event:follow",
                                        [](const json& message) { return message["status"] == "failed"; });
    CHECK(failed["reason"].get<std::string>().rfind("outcome_unknown", 0) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(fake.requests(k_cs).size() == 2); // neither was sent twice
}

TEST_CASE("the database restarting under a sending pheu: no message is sent twice, none is left claimed",
          "[integration][delivery][restart]") {
    if (server_backend() != pheu::store::sql::Backend::postgresql) {
        return; // an SQLite file has no server to lose
    }
    FakePlatforms fake;
    // pheu's own connections, told apart from the other tests' on the same cluster.
    const std::string application = "pheu-restart-" + std::to_string(::getpid());
    Shop shop(live_on(fake, [&](pheu::bot::Config& config) {
        config.database += "&application_name=" + application;
        config.delivery.concurrency = 4;
        config.delivery.in_doubt_grace_seconds = 1;
    }));
    const auto observer = pheu::store::sql::open_connection(shop.server.database());
    // What a restart of PostgreSQL (or a failover) does to every connection pheu holds.
    const auto drop_pheu_connections = [&] {
        return query_int(*observer, "SELECT count(pg_terminate_backend(pid)) FROM pg_catalog.pg_stat_activity WHERE "
                                    "application_name = '" +
                                        application + "' AND pid <> pg_backend_pid()");
    };
    constexpr int k_followers = 40;
    fake.script(k_cs, {200, json(), 20, {}}, 1000);
    for (int i = 0; i < k_followers; ++i) {
        shop.send_zalo(follow_body("restart-" + std::to_string(i), shop.clock.now()));
    }
    REQUIRE(eventually([&] { return fake.accepted(k_cs).size() >= 8; }));
    CHECK(drop_pheu_connections() > 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    CHECK(drop_pheu_connections() > 0);

    const auto count_of = [&](const std::string& condition) {
        return query_int(*observer, "SELECT count(*) FROM outbox WHERE kind = 'message' AND " + condition);
    };
    // Reconnecting, recording and failing in-doubt rows after their grace takes a few seconds.
    bool settled = false;
    for (int attempt = 0; attempt < 800 && !settled; ++attempt) {
        settled = count_of("status = 'queued'") == 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    INFO("left queued: " << count_of("status = 'queued'") << ", claimed: " << count_of("sending_since IS NOT NULL"));
    REQUIRE(settled);
    std::map<std::string, int> received;
    for (const auto& request : fake.accepted(k_cs)) {
        ++received[request.json_body()["recipient"]["user_id"].get<std::string>()];
    }
    for (const auto& [user, times] : received) {
        INFO(user);
        CHECK(times == 1);
    }
    // Every welcome went out, or its call was cut by the restart and it is failed, in doubt,
    // never sent again.
    CHECK(count_of("status = 'sent'") == static_cast<std::int64_t>(received.size()));
    CHECK(count_of("status = 'sent'") + count_of("status = 'failed' AND reason LIKE 'outcome_unknown%'") ==
          k_followers);
}
