// A shop moving to pheu imports its customers and past orders: identities, profiles, orders
// and stages at the events' own times, and nobody is messaged.
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace pheu::testing;
using nlohmann::json;

namespace {

std::pair<int, json> post_import(Shop& shop, const std::string& body, const std::string& type,
                                 const std::string& query = "") {
    auto result =
        shop.server.client().Post(("/api/v1/import" + query).c_str(),
                                  {{"Authorization", "Bearer admin-token-for-tests-only"}}, body, type.c_str());
    REQUIRE(result);
    return {result->status, json::parse(result->body)};
}

} // namespace

TEST_CASE("an import records customers, orders and stages at their times, and messages nobody",
          "[integration][import]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    const json body = {
        {"customers",
         {{{"phone", "0912000001"},
           {"name", "Nguyễn Thị Lan"},
           {"birthday", "24/11/1990"},
           {"gender", "2"},
           {"last_interaction_at", days_ago(shop.clock, 20)}},
          {{"zalo_user_id", "zalo-imported"}, {"name", "Trần Văn Minh"}}}},
        {"orders",
         {{{"order_id", "HD-1"}, {"phone", "0912000001"}, {"total", 450000}, {"placed_at", days_ago(shop.clock, 150)}},
          {{"order_id", "HD-2"}, {"phone", "0912000001"}, {"total", 300000}, {"placed_at", days_ago(shop.clock, 40)}},
          {{"order_id", "HD-3"}, {"phone", "0912000001"}, {"total", 250000}, {"placed_at", days_ago(shop.clock, 2)}},
          {{"order_id", "HD-9"},
           {"zalo_user_id", "zalo-imported"},
           {"total", 99000},
           {"placed_at", days_ago(shop.clock, 120)},
           {"cancelled", true}}}}};
    auto [status, answer] = post_import(shop, body.dump(), "application/json");
    REQUIRE(status == 202);
    CHECK(answer["accepted"] == 7); // 2 customers, 4 orders, 1 cancellation
    REQUIRE(shop.server.wait_until_processed());

    const json lan = shop.customer_by("phone=0912000001");
    CHECK(lan["stage"] == "frequent_buyer");
    CHECK(lan["name"] == "Nguyễn Thị Lan");
    CHECK(lan["orders_count"] == 3);
    const json minh = shop.customer_by("zalo_user_id=zalo-imported");
    CHECK(minh["stage"] == "new_lead"); // the only order was cancelled
    // Nobody is messaged, not even the frequent buyer of 2 days ago.
    CHECK(shop.messages_of(lan["id"]).empty());
    CHECK(shop.messages_of(minh["id"]).empty());
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE kind = 'message'") == 0);
    // Her birthday is still ahead: the gift waits for the day.
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM journeys WHERE journey = 'birthday' AND customer_id = " +
                        lan["id"].get<std::string>()) == 1);
    // Stage history at the orders' times.
    const json detail = shop.admin_get("/api/v1/customers/" + lan["id"].get<std::string>());
    const auto history = detail["stage_history"];
    REQUIRE(!history.empty());
    CHECK(history.back()["to"] == "frequent_buyer");
    CHECK(history.back()["at"].get<std::string>().substr(0, 10) == days_ago(shop.clock, 2).substr(0, 10));

    // The same import again stores nothing twice.
    std::tie(status, answer) = post_import(shop, body.dump(), "application/json");
    CHECK(status == 202);
    CHECK(answer["duplicates"] == 7);
}

TEST_CASE("an import as Excel saves it, and its errors name the line", "[integration][import]") {
    Shop shop;
    const std::string csv = "\xEF\xBB\xBF"
                            "order_id;phone;total;placed_at;cancelled\r\n"
                            "HD-10;0912000002;1.299.000;01/11/2026;FALSE\r\n"
                            "HD-11;0912000002;199,000;15/11/2026;\r\n";
    auto [status, answer] = post_import(shop, csv, "text/csv", "?kind=orders");
    REQUIRE(status == 202);
    CHECK(answer["accepted"] == 2);
    REQUIRE(shop.server.wait_until_processed());
    CHECK(shop.customer_by("phone=0912000002")["total_spent"] == 1498000);

    const std::string bad = "order_id;phone;total;placed_at\r\nHD-20;0912000003;100.000;01/11/2026\r\n"
                            "HD-21;0912000003;nhiều;02/11/2026\r\n";
    std::tie(status, answer) = post_import(shop, bad, "text/csv", "?kind=orders");
    CHECK(status == 400);
    CHECK(answer["error"]["path"] == "/line/3/total");
    CHECK(answer["error"]["message"].get<std::string>().rfind("line 3", 0) == 0);
    std::tie(status, answer) = post_import(shop, "name\r\nLan\r\n", "text/csv", "?kind=customers");
    CHECK(status == 400);
    CHECK(answer["error"]["path"] == "/line/2");
    std::tie(status, answer) =
        post_import(shop, R"({"orders":[{"order_id":"X","phone":"0912000004","total":5}]})", "application/json");
    CHECK(status == 400);
    CHECK(answer["error"]["path"] == "/orders/0/placed_at");
    CHECK(shop.server.client().Post("/api/v1/import", "{}", "application/json")->status == 401);
}
