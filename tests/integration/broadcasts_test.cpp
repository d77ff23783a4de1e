// Broadcasts through the real server: a segment chosen by the shop, a template sent to it on
// the cheapest route each customer allows, against the local fakes of Zalo and Messenger.
#include "common/time_format.h"
#include "tests/support/fake_platforms.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <thread>

using namespace pheu::testing;
using nlohmann::json;

namespace {

constexpr const char* k_cs = "/v3.0/oa/message/cs";
constexpr const char* k_offer = "Tết này shop giảm 20% cho khách quen";

void add_offer_template(Shop& shop) {
    const auto [status, reply] = shop.admin_send(
        "POST", "/api/v1/templates",
        {{"id", "tet_offer"}, {"body", std::string("Chào {{customer.name}}! ") + k_offer + ", hẹn bạn ghé nhé."}});
    REQUIRE(status == 201);
}

std::string create_segment(Shop& shop, const json& filter) {
    const auto [status, reply] = shop.admin_send("POST", "/api/v1/segments", {{"name", "Nhóm"}, {"filter", filter}});
    REQUIRE(status == 201);
    return reply["id"];
}

json create_broadcast(Shop& shop, json body) {
    body["name"] = "Ưu đãi Tết";
    body["template"] = "tet_offer";
    const auto [status, reply] = shop.admin_send("POST", "/api/v1/broadcasts", body);
    INFO(reply.dump());
    REQUIRE(status == 201);
    return reply;
}

json finished(Shop& shop, const std::string& id) {
    json broadcast;
    const bool done = eventually([&] {
        broadcast = shop.admin_get("/api/v1/broadcasts/" + id);
        return broadcast["status"] == "done";
    });
    INFO(broadcast.dump());
    REQUIRE(done);
    return broadcast;
}

// The users a request body on `path` addressed with the offer's text, by the field Zalo or
// Messenger names them in.
std::multiset<std::string> offer_recipients(const FakePlatforms& fake, const std::string& path) {
    std::multiset<std::string> users;
    for (const auto& request : fake.accepted(path)) {
        const json body = request.json_body();
        const bool offer = body.dump().find("Tết này") != std::string::npos || path == "/v3.0/oa/message/template";
        if (offer && body.contains("recipient")) {
            users.insert(body["recipient"].value("user_id", body["recipient"].value("id", "")));
        } else if (offer) {
            users.insert(body.value("user_id", ""));
        }
    }
    return users;
}

} // namespace

TEST_CASE("a scheduled broadcast reaches exactly its segment on the cheapest route each customer allows",
          "[integration][broadcasts]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    advance_to_local_hour(shop.clock, 10);
    add_offer_template(shop);
    // Past Zalo's 7 days, the shop's approved template carries the offer.
    REQUIRE(shop.admin_send("PUT", "/api/v1/settings/zalo_templates",
                            {{"tet_offer", {{"template_id", "555"}, {"data", {{"ten", "{{customer.name}}"}}}}}})
                .first == 200);

    shop.send_zalo(follow_body("z-old", shop.clock.now())); // 10 days before the send
    shop.clock.advance_days(6);
    shop.send_zalo(follow_body("z-late", shop.clock.now())); // 4 days before
    shop.clock.advance_days(2);
    shop.send_messenger(messenger_text_body("m-old", "shop ơi", "m-old-1", shop.clock.now())); // 2 days before
    shop.clock.advance_days(2);
    shop.send_zalo(zalo_text_body("z-fresh", "chào shop", "z-fresh-1", shop.clock.now()));
    shop.send_messenger(messenger_text_body("m-fresh", "chào shop", "m-fresh-1", shop.clock.now()));
    shop.send_zalo(zalo_text_body("z-stop", "chào shop", "z-stop-1", shop.clock.now()));
    shop.send_zalo(zalo_text_body("z-stop", "dừng nhận tin", "z-stop-2", shop.clock.now()));
    shop.send_events({shop.purchase("buyer-1", {{"zalo_user_id", "z-buyer"}}, 0)}); // a customer, not a lead
    fake.set_outside_zalo_window("z-old");

    const std::string segment = create_segment(shop, {{"stage", "new_lead"}});
    CHECK(shop.admin_get("/api/v1/segments/" + segment)["count"] == 5); // not z-stop, not z-buyer
    // Before sending, what it would reach on which route and what it would cost.
    const auto [estimate_status, estimate] =
        shop.admin_send("POST", "/api/v1/broadcasts/estimate", {{"segment_id", segment}, {"template", "tet_offer"}});
    INFO(estimate.dump());
    REQUIRE(estimate_status == 200);
    CHECK(estimate["audience"] == 5);
    CHECK(estimate["routes"]["zalo_consultation"] == json{{"customers", 2}, {"cost_vnd", 55}});
    CHECK(estimate["routes"]["zalo_template"] == json{{"customers", 1}, {"cost_vnd", 220}});
    CHECK(estimate["routes"]["messenger"] == json{{"customers", 1}, {"cost_vnd", 0}});
    CHECK(estimate["unreachable"] == 1);
    CHECK(estimate["cost_vnd"] == 275);
    CHECK(shop.admin_send("POST", "/api/v1/broadcasts/estimate", {{"segment_id", segment}, {"template", "nope"}})
              .second["error"]["path"] == "/template");
    const json created = create_broadcast(
        shop, {{"segment_id", segment}, {"send_at", pheu::common::format_rfc3339_utc(shop.clock.now() + 300)}});
    CHECK(created["status"] == "scheduled");
    const json broadcast = finished(shop, created["id"]);
    CHECK(broadcast["audience"] == 5);
    CHECK(broadcast["sent"] == 4);
    CHECK(broadcast["skipped"] == 1); // m-old: Messenger takes nothing 2 days after the last message
    CHECK(broadcast["held_out"] == 0);
    // Free within 48 hours (z-fresh, m-fresh), 55 from 48 hours to 7 days (z-late), 220 for
    // the template past 7 days (z-old).
    CHECK(broadcast["cost_vnd"] == 275);

    CHECK(offer_recipients(fake, k_cs) == std::multiset<std::string>{"z-fresh", "z-late"});
    CHECK(offer_recipients(fake, "/v3.0/oa/message/template") == std::multiset<std::string>{"z-old"});
    CHECK(offer_recipients(fake, "/v21.0/me/messages") == std::multiset<std::string>{"m-fresh"});
    const auto templates = fake.accepted("/v3.0/oa/message/template");
    REQUIRE(templates.size() == 1);
    CHECK(templates[0].json_body()["template_id"] == "555");

    const std::string stopped = shop.customer_by("zalo_user_id=z-stop")["id"];
    CHECK(with_trigger(shop.messages_of(stopped), "broadcast:" + created["id"].get<std::string>()).empty());
    const std::string old = shop.customer_by("messenger_psid=m-old")["id"];
    const auto skipped = with_trigger(shop.messages_of(old), "broadcast:" + created["id"].get<std::string>());
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0]["status"] == "skipped");
    INFO(skipped[0].dump());
    CHECK(skipped[0]["reason"].get<std::string>().rfind("unreachable", 0) == 0);
}

TEST_CASE("a broadcast never spends past its budget", "[integration][broadcasts]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    advance_to_local_hour(shop.clock, 10);
    add_offer_template(shop);
    for (int i = 0; i < 4; ++i) {
        shop.send_zalo(follow_body("z-" + std::to_string(i), shop.clock.now()));
    }
    shop.clock.advance_days(3); // 55 VND a message now
    const json created = create_broadcast(
        shop, {{"segment_id", create_segment(shop, json::object())}, {"budget_vnd", 120}, {"respect_caps", false}});
    const json broadcast = finished(shop, created["id"]);
    CHECK(broadcast["sent"] == 2);
    CHECK(broadcast["skipped"] == 2);
    CHECK(broadcast["cost_vnd"] == 110);
    CHECK(offer_recipients(fake, k_cs).size() == 2);
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM outbox WHERE trigger LIKE 'broadcast:%' AND reason LIKE 'over_budget%'") ==
          2);
}

TEST_CASE("a holdout of 10 % of 2,000 customers is within its bounds and gets nothing", "[integration][broadcasts]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    add_offer_template(shop);
    for (int batch = 0; batch < 5; ++batch) {
        std::vector<json> events;
        for (int i = 0; i < 400; ++i) {
            const std::string n = std::to_string(batch * 400 + i);
            events.push_back({{"event_id", "view-" + n},
                              {"type", "product_viewed"},
                              {"occurred_at", days_ago(shop.clock, 0)},
                              {"customer", {{"zalo_user_id", "zh-" + n}}},
                              {"properties", {{"sku", "AO-1"}}}});
        }
        shop.send_events(events);
    }
    const json created = create_broadcast(
        shop, {{"segment_id", create_segment(shop, json::object())}, {"holdout_percent", 10}, {"respect_caps", false}});
    const json broadcast = finished(shop, created["id"]);
    CHECK(broadcast["audience"] == 2000);
    // 200 expected; the bounds are five standard deviations (13.4) either side.
    CHECK(broadcast["held_out"].get<int>() >= 133);
    CHECK(broadcast["held_out"].get<int>() <= 267);
    CHECK(broadcast["sent"].get<int>() + broadcast["skipped"].get<int>() + broadcast["held_out"].get<int>() == 2000);
    const std::string trigger = "broadcast:" + created["id"].get<std::string>();
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = '" + trigger +
                                                "' AND status = 'skipped' AND reason = 'held_out' AND text IS NULL") ==
          broadcast["held_out"].get<int>());
    // Every customer has exactly one row: held out or sent, never both.
    CHECK(query_int(shop.server.database(),
                    "SELECT count(DISTINCT customer_id) FROM outbox WHERE trigger = '" + trigger + "'") == 2000);
}

TEST_CASE("a broadcast is paused, resumed and cancelled, and bad requests are refused naming the field",
          "[integration][broadcasts]") {
    Shop shop;
    add_offer_template(shop);
    const std::string segment = create_segment(shop, json::object());
    const json created = create_broadcast(
        shop, {{"segment_id", segment}, {"send_at", pheu::common::format_rfc3339_utc(shop.clock.now() + k_day)}});
    const std::string id = created["id"];
    const auto action = [&](const std::string& what) {
        return shop.admin_send("POST", "/api/v1/broadcasts/" + id + "/" + what, json::object());
    };
    CHECK(action("pause").second["status"] == "paused");
    CHECK(action("resume").second["status"] == "scheduled");
    // The segment a broadcast will send to cannot be deleted from under it.
    CHECK(shop.admin_send("DELETE", "/api/v1/segments/" + segment, json::object()).first == 409);
    CHECK(action("cancel").second["status"] == "cancelled");
    CHECK(action("pause").first == 409);
    CHECK(action("resume").first == 409);
    CHECK(shop.admin_send("POST", "/api/v1/broadcasts/999/cancel", json::object()).first == 404);
    shop.admin_get("/api/v1/broadcasts/999", 404);
    CHECK(shop.admin_send("DELETE", "/api/v1/segments/" + segment, json::object()).first == 204);

    const std::pair<json, std::string> bad[] = {
        {{{"segment_id", "999"}}, "/segment_id"},
        {{{"segment_id", segment}, {"template", "nope"}}, "/template"},
        {{{"segment_id", segment}, {"campaign", "nope"}}, "/campaign"},
        {{{"segment_id", segment}, {"send_at", "tomorrow"}}, "/send_at"},
        {{{"segment_id", segment}, {"holdout_percent", 60}}, "/holdout_percent"},
        {{{"segment_id", segment}, {"budget_vnd", -1}}, "/budget_vnd"},
    };
    const std::string other = create_segment(shop, json::object());
    for (auto [body, path] : bad) {
        INFO(body.dump());
        if (body["segment_id"] == segment) {
            body["segment_id"] = other;
        }
        body["name"] = "x";
        if (!body.contains("template")) {
            body["template"] = "tet_offer";
        }
        const auto [status, reply] = shop.admin_send("POST", "/api/v1/broadcasts", body);
        CHECK(status == 400);
        CHECK(reply["error"]["path"] == path);
    }
}

TEST_CASE("a broadcast started in quiet hours reaches nobody before the morning", "[integration][broadcasts]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    advance_to_local_hour(shop.clock, 21);
    add_offer_template(shop);
    for (const char* user : {"z-night-1", "z-night-2"}) {
        shop.send_zalo(zalo_text_body(user, "chào shop", std::string(user) + "-m", shop.clock.now()));
    }
    advance_to_local_hour(shop.clock, 23);
    const json created = create_broadcast(shop, {{"segment_id", create_segment(shop, json::object())}});
    const std::string id = created["id"];
    REQUIRE(eventually([&] { return shop.admin_get("/api/v1/broadcasts/" + id)["waiting"] == 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the dispatcher looks several times
    CHECK(offer_recipients(fake, k_cs).empty());
    CHECK(shop.admin_get("/api/v1/broadcasts/" + id)["status"] == "sending");

    advance_to_local_hour(shop.clock, 7);
    const json broadcast = finished(shop, id);
    CHECK(broadcast["sent"] == 2);
    CHECK(offer_recipients(fake, k_cs) == std::multiset<std::string>{"z-night-1", "z-night-2"});
}

TEST_CASE("a journey's control group gets none of its steps, and the report compares it", "[integration][broadcasts]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    REQUIRE(shop.admin_send("PUT", "/api/v1/playbook/journeys/lead_cadence", {{"holdout_percent", 50}}).first == 200);
    CHECK(shop.admin_send("PUT", "/api/v1/playbook/journeys/lead_cadence", {{"holdout_percent", 80}})
              .second["error"]["path"] == "/holdout_percent");
    // An answer is never held back: a service rule cannot have a control group.
    CHECK(shop.admin_send("PUT", "/api/v1/playbook/rules/shop_info", {{"holdout_percent", 10}}).first == 400);
    constexpr int k_leads = 40;
    for (int i = 0; i < k_leads; ++i) {
        const std::string user = "z-lead-" + std::to_string(i);
        shop.send_zalo(zalo_text_body(user, "chào shop", user + "-1", shop.clock.now()));
    }
    shop.clock.advance_days(1.1);
    const std::string trigger = "journey:lead_cadence/day_1";
    REQUIRE(eventually([&] {
        return query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = '" + trigger + "'") ==
               k_leads;
    }));
    const std::int64_t held = query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = '" +
                                                                    trigger + "' AND reason = 'held_out'");
    // 20 expected; five standard deviations (3.2) either side.
    CHECK(held >= 4);
    CHECK(held <= 36);
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = '" + trigger +
                                                "' AND reason = 'held_out' AND text IS NOT NULL") == 0);
    const auto rows = with_trigger(shop.admin_get("/api/v1/reports/messages")["items"], trigger);
    REQUIRE(rows.size() == 1);
    const json& row = rows[0];
    CHECK(row["held_out"] == held);
    CHECK(row["sent"].get<std::int64_t>() + held <= k_leads);
    CHECK(row["lift"].is_object()); // both groups have members
}

TEST_CASE("a broadcast is tried on one customer, as often as the shop likes, outside its results",
          "[integration][broadcasts]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    add_offer_template(shop);
    shop.send_zalo(zalo_text_body("z-owner", "chào shop", "z-owner-1", shop.clock.now()));
    const std::string owner = shop.customer_by("zalo_user_id=z-owner")["id"];
    // Scheduled for tomorrow, with a control group of half: the test ignores both.
    const json created =
        create_broadcast(shop, {{"segment_id", create_segment(shop, json::object())},
                                {"holdout_percent", 50},
                                {"send_at", pheu::common::format_rfc3339_utc(shop.clock.now() + k_day)}});
    const std::string path = "/api/v1/broadcasts/" + created["id"].get<std::string>() + "/test";
    for (int attempt = 0; attempt < 2; ++attempt) {
        const auto [status, tried] = shop.admin_send("POST", path, {{"customer_id", owner}});
        INFO(tried.dump());
        REQUIRE(status == 200);
        CHECK(tried["status"] == "sandboxed");
        CHECK(tried["channel"] == "zalo");
        CHECK(tried["text"].get<std::string>().find(k_offer) != std::string::npos);
        shop.clock.advance_days(0.001); // a second try is a message of its own
    }
    CHECK(with_trigger(shop.messages_of(owner), "broadcast_test:" + created["id"].get<std::string>()).size() == 2);
    const json broadcast = shop.admin_get("/api/v1/broadcasts/" + created["id"].get<std::string>());
    CHECK(broadcast["status"] == "scheduled");
    CHECK(broadcast["sent"] == 0);
    CHECK(shop.admin_send("POST", path, {{"customer_id", "999"}}).first == 404);
    CHECK(shop.admin_send("POST", path, json::object()).first == 400);
    CHECK(shop.admin_send("POST", "/api/v1/broadcasts/999/test", {{"customer_id", owner}}).first == 404);
}

TEST_CASE("a broadcast's variants split its audience by weight, with results per variant",
          "[integration][broadcasts]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    add_offer_template(shop);
    REQUIRE(
        shop.admin_send("POST", "/api/v1/templates", {{"id", "tet_offer_b"}, {"body", "Quà Tết cho bạn: giảm 20%!"}})
            .first == 201);
    std::vector<json> events;
    for (int i = 0; i < 400; ++i) {
        events.push_back({{"event_id", "v-" + std::to_string(i)},
                          {"type", "product_viewed"},
                          {"occurred_at", days_ago(shop.clock, 0)},
                          {"customer", {{"zalo_user_id", "zv-" + std::to_string(i)}}},
                          {"properties", {{"sku", "AO-1"}}}});
    }
    shop.send_events(events);
    const std::string segment = create_segment(shop, json::object());
    json body = {
        {"name", "A/B"},
        {"segment_id", segment},
        {"variants", {{{"template", "tet_offer"}, {"weight", 1}}, {{"template", "tet_offer_b"}, {"weight", 3}}}},
        {"respect_caps", false}};
    const auto [status, created] = shop.admin_send("POST", "/api/v1/broadcasts", body);
    INFO(created.dump());
    REQUIRE(status == 201);
    const json broadcast = finished(shop, created["id"]);
    REQUIRE(broadcast["variants"].size() == 2);
    const std::string trigger = "broadcast:" + created["id"].get<std::string>();
    const std::int64_t first = query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = '" +
                                                                     trigger + "' AND template = 'tet_offer'");
    const std::int64_t second = query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = '" +
                                                                      trigger + "' AND template = 'tet_offer_b'");
    CHECK(first + second == 400);
    // 100 expected for the first (standard deviation 8.7).
    CHECK(first >= 57);
    CHECK(first <= 143);
    CHECK(broadcast["variants"][0]["sent"].get<std::int64_t>() +
              broadcast["variants"][0]["skipped"].get<std::int64_t>() ==
          first);

    body["variants"] = {{{"template", "tet_offer"}}};
    CHECK(shop.admin_send("POST", "/api/v1/broadcasts", body).second["error"]["path"] == "/variants");
    body["variants"] = {{{"template", "tet_offer"}}, {{"template", "nope"}}};
    CHECK(shop.admin_send("POST", "/api/v1/broadcasts", body).second["error"]["path"] == "/variants/1/template");
    body["variants"] = {{{"template", "tet_offer"}}, {{"template", "tet_offer_b"}, {"weight", 0}}};
    CHECK(shop.admin_send("POST", "/api/v1/broadcasts", body).second["error"]["path"] == "/variants/1/weight");
}

TEST_CASE("a cancelled broadcast's waiting messages are skipped and never sent", "[integration][broadcasts]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    advance_to_local_hour(shop.clock, 21);
    add_offer_template(shop);
    shop.send_zalo(zalo_text_body("z-cancel", "chào shop", "z-cancel-1", shop.clock.now()));
    advance_to_local_hour(shop.clock, 23); // quiet hours: the message waits for the morning
    const json created = create_broadcast(shop, {{"segment_id", create_segment(shop, json::object())}});
    const std::string id = created["id"];
    REQUIRE(eventually([&] { return shop.admin_get("/api/v1/broadcasts/" + id)["waiting"] == 1; }));
    const auto [status, cancelled] = shop.admin_send("POST", "/api/v1/broadcasts/" + id + "/cancel", json::object());
    REQUIRE(status == 200);
    CHECK(cancelled["status"] == "cancelled");
    CHECK(cancelled["waiting"] == 0);
    CHECK(cancelled["skipped"] == 1);
    advance_to_local_hour(shop.clock, 7);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the dispatcher looks several times
    CHECK(offer_recipients(fake, k_cs).empty());
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = 'broadcast:" + id +
                                                "' AND reason LIKE 'cancelled%'") == 1);
}

TEST_CASE("a journey step's variants split its customers, and each variant shows what it earned",
          "[integration][broadcasts]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    advance_to_local_hour(shop.clock, 10);
    REQUIRE(shop.admin_send("POST", "/api/v1/templates",
                            {{"id", "lead_day_1_b"}, {"body", "Shop gửi bạn mã freeship cho đơn đầu tiên nhé!"}})
                .first == 201);
    const json variants = {{{"template", "lead_day_1"}, {"weight", 1}}, {{"template", "lead_day_1_b"}, {"weight", 1}}};
    const auto [status, saved] = shop.admin_send("PUT", "/api/v1/playbook/rules/lead_day_1", {{"variants", variants}});
    INFO(saved.dump());
    REQUIRE(status == 200);
    CHECK(shop.admin_send("PUT", "/api/v1/playbook/rules/lead_day_1",
                          {{"variants", {{{"template", "lead_day_1"}}, {{"template", "nope"}}}}})
              .second["error"]["path"] == "/variants/1/template");
    // This shop's Zalo plan bills consultation messages even inside 48 hours.
    REQUIRE(shop.admin_send("PUT", "/api/v1/settings/message_prices", {{"zalo_consultation", 30}}).first == 200);
    constexpr int k_leads = 40;
    for (int i = 0; i < k_leads; ++i) {
        const std::string user = "z-ab-" + std::to_string(i);
        shop.send_zalo(zalo_text_body(user, "chào shop", user + "-1", shop.clock.now()));
    }
    shop.clock.advance_days(1.1);
    const std::string trigger = "journey:lead_cadence/day_1";
    REQUIRE(eventually([&] {
        return query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = '" + trigger +
                                                     "' AND status = 'sent'") == k_leads;
    }));
    const std::int64_t second = query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = '" +
                                                                      trigger + "' AND template = 'lead_day_1_b'");
    // 20 expected (standard deviation 3.2).
    CHECK(second >= 8);
    CHECK(second <= 32);
    // The day-1 message goes 26 hours after the lead's last word: a consultation message.
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM outbox WHERE trigger = '" + trigger + "' AND cost_vnd = 30") == k_leads);

    // One customer of each variant buys two days later; the B one spends more.
    const auto customer_with = [&](const std::string& template_id) {
        return query_int(shop.server.database(), "SELECT min(customer_id) FROM outbox WHERE trigger = '" + trigger +
                                                     "' AND template = '" + template_id + "'");
    };
    const auto user_of = [&](std::int64_t customer) {
        return shop.admin_get("/api/v1/customers/" + std::to_string(customer))["identities"][0]["id"]
            .get<std::string>();
    };
    const std::string buyer_a = user_of(customer_with("lead_day_1"));
    const std::string buyer_b = user_of(customer_with("lead_day_1_b"));
    shop.clock.advance_days(2);
    shop.send_events({shop.purchase("ab-1", {{"zalo_user_id", buyer_a}}, 0, 200000),
                      shop.purchase("ab-2", {{"zalo_user_id", buyer_b}}, 0, 450000)});

    const json report = shop.admin_get("/api/v1/reports/messages");
    INFO(report.dump());
    const auto rows = with_trigger(report["items"], trigger);
    REQUIRE(rows.size() == 1);
    const json& row = rows[0];
    CHECK(row["sent"] == k_leads);
    CHECK(row["cost_vnd"] == 30 * k_leads);
    CHECK(row["converted"] == 2);
    CHECK(row["revenue"] == 650000);
    REQUIRE(row["templates"].size() == 2);
    CHECK(row["templates"][0]["template"] == "lead_day_1");
    CHECK(row["templates"][0]["revenue"] == 200000);
    CHECK(row["templates"][1]["template"] == "lead_day_1_b");
    CHECK(row["templates"][1]["sent"] == second);
    CHECK(row["templates"][1]["converted"] == 1);
    CHECK(row["templates"][1]["revenue"] == 450000);
}

TEST_CASE("a customer known by phone alone is reached by the shop's ZNS template, and nobody without a phone",
          "[integration][broadcasts]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    advance_to_local_hour(shop.clock, 10);
    add_offer_template(shop);
    REQUIRE(shop.admin_send(
                    "PUT", "/api/v1/settings/zalo_templates",
                    {{"tet_offer", {{"template_id", "777"}, {"via", "zns"}, {"data", {{"ten", "{{customer.name}}"}}}}}})
                .first == 200);
    // Bought in the shop, gave a phone number; never followed the OA.
    shop.send_events({shop.purchase("counter-1", {{"phone", "0912345678"}, {"name", "Nguyễn Lan"}}, 0)});
    shop.send_zalo(zalo_text_body("z-fresh", "chào shop", "z-fresh-1", shop.clock.now()));
    const std::string segment = create_segment(shop, json::object());
    const auto [estimate_status, estimate] =
        shop.admin_send("POST", "/api/v1/broadcasts/estimate", {{"segment_id", segment}, {"template", "tet_offer"}});
    INFO(estimate.dump());
    CHECK(estimate["routes"]["zns"] == json{{"customers", 1}, {"cost_vnd", 300}});
    CHECK(estimate["unreachable"] == 0);

    const json broadcast = finished(shop, create_broadcast(shop, {{"segment_id", segment}})["id"]);
    INFO(broadcast.dump());
    CHECK(broadcast["sent"] == 2);
    CHECK(broadcast["cost_vnd"] == 300);
    const auto zns = fake.accepted("/message/template");
    REQUIRE(zns.size() == 1);
    CHECK(zns[0].json_body()["phone"] == "84912345678");
    CHECK(zns[0].json_body()["template_id"] == "777");
    CHECK(zns[0].json_body()["template_data"]["ten"] == "Nguyễn Lan");
    CHECK(offer_recipients(fake, k_cs) == std::multiset<std::string>{"z-fresh"});
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE via = 'zns' AND cost_vnd = 300") == 1);
}
