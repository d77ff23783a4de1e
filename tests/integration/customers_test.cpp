// Customers and stages through the real server: events in over HTTP (backdated where time
// matters), customers read back through the admin API.
#include "common/time_format.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <thread>

using namespace pheu::testing;
using nlohmann::json;

TEST_CASE("a follow only makes a new lead", "[integration][stages]") {
    Shop shop;
    shop.send_zalo(follow_body("zalo-user-1", shop.clock.now()));
    const json customer = shop.customer_by("zalo_user_id=zalo-user-1");
    CHECK(customer["stage"] == "new_lead");
    CHECK(customer["is_follower"] == true);
    CHECK(customer["orders_count"] == 0);
    CHECK(customer["temperature"] == "warm");
    CHECK(customer["last_interaction_at"].is_string());
    CHECK(customer["opted_out"] == false);
    CHECK(customer["phone"].is_null());
}

TEST_CASE("one purchase 10 days ago makes a new customer", "[integration][stages]") {
    Shop shop;
    shop.send_events({shop.purchase("p1", {{"phone", "0912000001"}}, 10)});
    const json customer = shop.customer_by("phone=0912000001");
    CHECK(customer["stage"] == "new_customer");
    CHECK(customer["orders_count"] == 1);
    CHECK(customer["total_spent"] == 250000);
    CHECK(customer["phone"] == "84912000001");
    CHECK(customer["favourite_categories"] == json{"ao"});
    CHECK(customer["last_order_at"].is_string());
}

TEST_CASE("three purchases in the last 180 days make a frequent buyer, a cancellation undoes it",
          "[integration][stages]") {
    Shop shop;
    const json who = {{"external_id", "pos-42"}};
    shop.send_events({shop.purchase("a", who, 170), shop.purchase("b", who, 60), shop.purchase("c", who, 5)});
    json customer = shop.customer_by("external_id=pos-42");
    CHECK(customer["stage"] == "frequent_buyer");
    CHECK(customer["orders_count"] == 3);
    CHECK(customer["total_spent"] == 750000);

    // The same order delivered again under another event id still counts once.
    json redelivered = shop.purchase("c-again", who, 5);
    redelivered["properties"]["order_id"] = "order-c";
    shop.send_events({redelivered});
    CHECK(shop.customer_by("external_id=pos-42")["orders_count"] == 3);

    shop.send_events({{{"event_id", "cancel-b"},
                       {"type", "order_cancelled"},
                       {"occurred_at", days_ago(shop.clock, 1)},
                       {"customer", who},
                       {"properties", {{"order_id", "order-b"}}}}});
    customer = shop.customer_by("external_id=pos-42");
    CHECK(customer["stage"] == "new_customer");
    CHECK(customer["orders_count"] == 2);

    const json detail = shop.admin_get("/api/v1/customers/" + customer["id"].get<std::string>());
    REQUIRE(detail["stage_history"].size() >= 2);
    CHECK(detail["stage_history"].back()["to"] == "new_customer");
    CHECK(detail["stage_history"].back()["from"] == "frequent_buyer");
    CHECK(detail["timeline"].size() == 5);
}

TEST_CASE("a purchase 120 days ago with nothing since is dormant", "[integration][stages]") {
    Shop shop;
    shop.send_events({shop.purchase("old", {{"phone", "0912000002"}}, 120)});
    CHECK(shop.customer_by("phone=0912000002")["stage"] == "dormant");
}

TEST_CASE("the scheduler makes a customer dormant with no new event", "[integration][stages][scheduler]") {
    Shop shop;
    shop.send_events({shop.purchase("p", {{"phone", "0912000003"}}, 80)});
    json customer = shop.customer_by("phone=0912000003");
    REQUIRE(customer["stage"] == "new_customer");
    REQUIRE(customer["next_stage_check_at"].is_string());

    // 41 days pass: the last order is now 121 days old and nothing was heard since.
    shop.clock.advance_days(41);
    for (int attempt = 0; attempt < 200 && customer["stage"] == "new_customer"; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
        customer = shop.customer_by("phone=0912000003");
    }
    CHECK(customer["stage"] == "dormant");
    CHECK(customer["next_stage_check_at"].is_null());
    const json detail = shop.admin_get("/api/v1/customers/" + customer["id"].get<std::string>());
    CHECK(detail["stage_history"].back()["from"] == "new_customer");
    CHECK(detail["stage_history"].back()["to"] == "dormant");
    // No event arrived: the timeline still holds only the purchase.
    CHECK(detail["timeline"].size() == 1);
}

TEST_CASE("a phone shared by a Zalo user and a POS purchase is one customer", "[integration][identities]") {
    Shop shop;
    const std::int64_t now = shop.clock.now();
    shop.send_zalo(follow_body("zalo-user-7", now - 5 * k_day));
    shop.send_events({shop.purchase("pos-1", {{"phone", "0987654321"}, {"name", "Chị Mai"}}, 3)});
    // Two customers so far; then the Zalo user shares that phone.
    CHECK(shop.admin_get("/api/v1/customers")["items"].size() == 2);
    shop.send_zalo(
        {{"app_id", "app-1"},
         {"sender", {{"id", "zalo-user-7"}}},
         {"recipient", {{"id", "oa-1"}}},
         {"event_name", "user_submit_info"},
         {"timestamp", std::to_string(now - k_day)},
         {"info", {{"name", "Mai Nguyễn"}, {"phone", "84987654321"}, {"address", "12 Lê Lợi"}, {"city", "HCM"}}}});
    const json page = shop.admin_get("/api/v1/customers");
    REQUIRE(page["items"].size() == 1);
    const json customer = page["items"][0];
    CHECK(customer["stage"] == "new_customer");
    CHECK(customer["orders_count"] == 1);
    CHECK(customer["is_follower"] == true);
    CHECK(customer["phone"] == "84987654321");
    CHECK(customer["address"]["city"] == "HCM");
    CHECK(shop.customer_by("zalo_user_id=zalo-user-7")["id"] == customer["id"]);
    CHECK(shop.customer_by("phone=+84987654321")["id"] == customer["id"]);
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM customer_merges") == 1);
    // The merged customer's old id still leads to the one that absorbed it.
    const auto merged_id = query_int(shop.server.database(), "SELECT merged_customer_id FROM customer_merges");
    CHECK(shop.admin_get("/api/v1/customers/" + std::to_string(merged_id))["id"] == customer["id"]);
}

TEST_CASE("stage changes of Zalo followers are queued as OA tag intents", "[integration][stages]") {
    Shop shop;
    shop.send_zalo(follow_body("zalo-user-9", shop.clock.now()));
    shop.send_events({shop.purchase("t1", {{"zalo_user_id", "zalo-user-9"}}, 1)});
    const std::string db = shop.server.database();
    // Under the sandbox transport the dispatcher records tag changes without sending them.
    CHECK(eventually([&] {
        return query_int(db, "SELECT count(*) FROM outbox WHERE kind = 'tag' AND status = 'sandboxed' "
                             "AND json_extract(payload, '$.tag_name') = 'Lead mới' AND recipient = 'zalo-user-9' "
                             "AND account_id = 'oa-1'") == 1;
    }));
    CHECK(
        query_int(
            db,
            "SELECT count(*) FROM outbox WHERE kind = 'untag' AND json_extract(payload, '$.tag_name') = 'Lead mới'") ==
        1);
    CHECK(
        query_int(
            db,
            "SELECT count(*) FROM outbox WHERE kind = 'tag' AND json_extract(payload, '$.tag_name') = 'Khách hàng mới' "
            "AND trigger = 'stage_entered:new_customer'") == 1);
    // Tag work is not a message to the customer: only the playbook's messages are listed.
    const std::string id = shop.customer_by("zalo_user_id=zalo-user-9")["id"];
    const json messages = shop.admin_get("/api/v1/customers/" + id + "/messages")["items"];
    CHECK(static_cast<std::int64_t>(messages.size()) ==
          query_int(db, "SELECT count(*) FROM outbox WHERE kind = 'message'"));
    for (const auto& message : messages) {
        CHECK(message["template"].is_string());
    }
}

TEST_CASE("customer lists page with a cursor and filter by stage", "[integration][admin]") {
    Shop shop;
    std::vector<json> events;
    for (int i = 0; i < 7; ++i) {
        events.push_back(
            shop.purchase("e" + std::to_string(i), {{"external_id", "x" + std::to_string(i)}}, i < 2 ? 150 : 3));
    }
    shop.send_events(events);
    std::vector<std::string> seen;
    std::string path = "/api/v1/customers?limit=3";
    for (int page = 0; page < 5; ++page) {
        const json body = shop.admin_get(path);
        for (const auto& item : body["items"]) {
            seen.push_back(item["id"]);
        }
        if (body["next_cursor"].is_null()) {
            break;
        }
        path = "/api/v1/customers?limit=3&cursor=" + body["next_cursor"].get<std::string>();
    }
    CHECK(seen.size() == 7);
    CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 7);
    CHECK(shop.admin_get("/api/v1/customers?stage=dormant")["items"].size() == 2);
    CHECK(shop.admin_get("/api/v1/customers?stage=new_customer&limit=500")["items"].size() == 5);
    const json funnel = shop.admin_get("/api/v1/reports/funnel");
    CHECK(funnel["stages"] == json{{"new_lead", 0}, {"new_customer", 5}, {"frequent_buyer", 0}, {"dormant", 2}});
}

TEST_CASE("admin reads need the admin token and validate their input", "[integration][admin]") {
    Shop shop;
    for (const char* path :
         {"/api/v1/customers", "/api/v1/customers/1", "/api/v1/customers/1/messages", "/api/v1/reports/funnel"}) {
        INFO(path);
        CHECK(shop.server.client().Get(path)->status == 401);
        CHECK(shop.server.client().Get(path, {{"Authorization", "Bearer events-token-for-tests-only"}})->status == 401);
    }
    CHECK(shop.admin_get("/api/v1/customers?stage=vip", 400)["error"]["path"] == "stage");
    CHECK(shop.admin_get("/api/v1/customers?limit=501", 400)["error"]["path"] == "limit");
    CHECK(shop.admin_get("/api/v1/customers?cursor=abc", 400)["error"]["path"] == "cursor");
    CHECK(shop.admin_get("/api/v1/customers?phone=12", 400)["error"]["path"] == "phone");
    CHECK(shop.admin_get("/api/v1/customers/999", 404)["error"]["code"] == "not_found");
    CHECK(shop.admin_get("/api/v1/customers/abc", 404)["error"]["code"] == "not_found");
    CHECK(shop.admin_get("/api/v1/customers?zalo_user_id=nobody")["items"].empty());
}
