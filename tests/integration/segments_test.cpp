// Segments through the real server: customers with histories backdated over the events
// API and the Zalo webhook, counted and listed through the admin API.
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

using namespace pheu::testing;
using nlohmann::json;

namespace {

json item(const char* sku, const char* category, std::int64_t price) {
    return json::array({{{"sku", sku}, {"category", category}, {"price", price}, {"quantity", 1}}});
}

// Five customers whose stages come from their histories, and one more who opts out.
void open_shop(Shop& shop) {
    const json an = {{"zalo_user_id", "zalo-an"}};
    const json binh = {{"phone", "0912000011"}};
    const json chi = {{"external_id", "pos-chi"}};
    const json dung = {{"zalo_user_id", "zalo-dung"}};
    shop.send_events({// An: three orders in 180 days, a frequent buyer of shirts and shoes.
                      shop.purchase("an-1", an, 170, 300000), shop.purchase("an-2", an, 60, 300000),
                      shop.purchase("an-3", an, 5, 900000, item("GIAY-1", "giay", 900000)),
                      // Binh: one order 10 days ago.
                      shop.purchase("binh-1", binh, 10, 250000),
                      // Chi: two orders long ago, dormant since.
                      shop.purchase("chi-1", chi, 300, 400000), shop.purchase("chi-2", chi, 200, 400000),
                      // Dung: a frequent buyer too, who will opt out.
                      shop.purchase("dung-1", dung, 100), shop.purchase("dung-2", dung, 50),
                      shop.purchase("dung-3", dung, 3)});
    // Em follows the OA and buys nothing.
    shop.send_zalo(follow_body("zalo-em", shop.clock.now()));
    shop.send_zalo(zalo_text_body("zalo-dung", "dừng nhận tin", "dung-stop", shop.clock.now()));
    REQUIRE(shop.customer_by("zalo_user_id=zalo-dung")["opted_out"] == true);
}

std::int64_t count_of(Shop& shop, const json& filter) {
    const auto [status, reply] = shop.admin_send("POST", "/api/v1/segments/count", {{"filter", filter}});
    REQUIRE(status == 200);
    return reply["count"].get<std::int64_t>();
}

std::set<std::string> member_ids(Shop& shop, const std::string& segment_id, int page_size) {
    std::set<std::string> ids;
    std::string cursor;
    for (int page = 0; page < 10; ++page) {
        const json reply =
            shop.admin_get("/api/v1/segments/" + segment_id + "/customers?limit=" + std::to_string(page_size) +
                           (cursor.empty() ? "" : "&cursor=" + cursor));
        for (const auto& customer : reply["items"]) {
            ids.insert(customer["id"].get<std::string>());
        }
        if (reply["next_cursor"].is_null()) {
            break;
        }
        cursor = reply["next_cursor"].get<std::string>();
    }
    return ids;
}

} // namespace

TEST_CASE("a segment of frequent buyers counts right on a shop with backdated histories", "[integration][segments]") {
    Shop shop;
    open_shop(shop);
    const std::string an = shop.customer_by("zalo_user_id=zalo-an")["id"];

    const auto [status, created] = shop.admin_send("POST", "/api/v1/segments",
                                                   {{"name", "Khách quen"}, {"filter", {{"stage", "frequent_buyer"}}}});
    REQUIRE(status == 201);
    CHECK(created["name"] == "Khách quen");
    CHECK(created["filter"] == json{{"stage", "frequent_buyer"}});
    // Dung is a frequent buyer too, but opted out: never counted.
    CHECK(created["count"] == 1);
    const std::string id = created["id"];
    CHECK(shop.admin_get("/api/v1/segments/" + id)["count"] == 1);
    CHECK(member_ids(shop, id, 50) == std::set<std::string>{an});

    // A new frequent buyer is counted as soon as the stage changes.
    const json giang = {{"phone", "0912000012"}};
    shop.send_events({shop.purchase("giang-1", giang, 20), shop.purchase("giang-2", giang, 2)});
    shop.send_events({shop.purchase("giang-3", giang, 1)});
    const std::string giang_id = shop.customer_by("phone=0912000012")["id"];
    CHECK(shop.admin_get("/api/v1/segments/" + id)["count"] == 2);
    // One a page: every member once, in id order.
    CHECK(member_ids(shop, id, 1) == std::set<std::string>{an, giang_id});
}

TEST_CASE("segment conditions on orders, money, time, categories and reach combine", "[integration][segments]") {
    Shop shop;
    open_shop(shop);
    CHECK(count_of(shop, json::object()) == 4); // everyone but the one who opted out
    CHECK(count_of(shop, {{"stage", {"new_customer", "dormant"}}}) == 2);
    CHECK(count_of(shop, {{"orders_count", {{"min", 2}}}}) == 2);                      // An, Chi
    CHECK(count_of(shop, {{"orders_count", {{"max", 0}}}}) == 1);                      // Em
    CHECK(count_of(shop, {{"total_spent", {{"min", 1000000}}}}) == 1);                 // An: 1.5 million
    CHECK(count_of(shop, {{"total_spent", {{"min", 250000}, {"max", 800000}}}}) == 2); // Binh, Chi
    CHECK(count_of(shop, {{"last_order_days_ago", {{"min", 90}}}}) == 1);              // Chi, 200 days
    CHECK(count_of(shop, {{"last_order_days_ago", {{"min", 9}, {"max", 10}}}}) == 1);  // Binh, 10 days
    CHECK(count_of(shop, {{"last_order_days_ago", {{"max", 9}}}}) == 1);               // An, 5 days
    CHECK(count_of(shop, {{"bought_category", "giay"}}) == 1);
    CHECK(count_of(shop, {{"bought_category", {"ao", "giay"}}}) == 3);
    CHECK(count_of(shop, {{"reachable", "zalo"}}) == 1); // Em follows; An bought, never followed
    CHECK(count_of(shop, {{"reachable", "zns"}}) == 1);  // Binh gave a phone
    CHECK(count_of(shop, {{"reachable", "any"}}) == 2);
    CHECK(count_of(shop, {{"stage", "frequent_buyer"}, {"bought_category", "giay"}, {"orders_count", {{"min", 3}}}}) ==
          1);

    // A cancelled order stops counting, and the customer's totals follow.
    shop.send_events({{{"event_id", "cancel-an-3"},
                       {"type", "order_cancelled"},
                       {"occurred_at", days_ago(shop.clock, 1)},
                       {"customer", {{"zalo_user_id", "zalo-an"}}},
                       {"properties", {{"order_id", "order-an-3"}}}}});
    CHECK(count_of(shop, {{"bought_category", "giay"}}) == 0);
    CHECK(count_of(shop, {{"total_spent", {{"min", 1000000}}}}) == 0);
}

TEST_CASE("a bad segment filter is refused naming the field, an unknown segment is 404", "[integration][segments]") {
    Shop shop;
    const std::pair<json, std::string> bad[] = {
        {{{"stag", "dormant"}}, "/filter/stag"},
        {{{"stage", "vip"}}, "/filter/stage"},
        {{{"stage", {"dormant", "vip"}}}, "/filter/stage/1"},
        {{{"orders_count", {{"min", "2"}}}}, "/filter/orders_count/min"},
        {{{"orders_count", {{"min", 5}, {"max", 2}}}}, "/filter/orders_count"},
        {{{"total_spent", 100}}, "/filter/total_spent"},
        {{{"birthday_month", 13}}, "/filter/birthday_month"},
        {{{"reachable", "email"}}, "/filter/reachable"},
        {{{"city", ""}}, "/filter/city"},
        {json::array(), "/filter"},
    };
    for (const auto& [filter, path] : bad) {
        INFO(filter.dump());
        const auto [status, reply] = shop.admin_send("POST", "/api/v1/segments", {{"name", "x"}, {"filter", filter}});
        CHECK(status == 400);
        CHECK(reply["error"]["path"] == path);
        CHECK(reply["error"]["message"].get<std::string>().size() > 10);
    }
    CHECK(shop.admin_send("POST", "/api/v1/segments", {{"filter", json::object()}}).first == 400);
    shop.admin_get("/api/v1/segments/999", 404);
    shop.admin_get("/api/v1/segments/abc/customers", 404);
    CHECK(shop.admin_send("PUT", "/api/v1/segments/999", {{"name", "x"}, {"filter", json::object()}}).first == 404);
}

TEST_CASE("a segment is renamed, refiltered, exported as CSV and deleted", "[integration][segments]") {
    Shop shop;
    open_shop(shop);
    const auto [status, created] =
        shop.admin_send("POST", "/api/v1/segments", {{"name", "Ngủ đông"}, {"filter", {{"stage", "dormant"}}}});
    REQUIRE(status == 201);
    const std::string id = created["id"];
    CHECK(created["count"] == 1);

    const auto [put_status, updated] = shop.admin_send(
        "PUT", "/api/v1/segments/" + id, {{"name", "Đã mua"}, {"filter", {{"orders_count", {{"min", 1}}}}}});
    REQUIRE(put_status == 200);
    CHECK(updated["name"] == "Đã mua");
    CHECK(updated["count"] == 3);
    CHECK(shop.admin_get("/api/v1/segments")["items"].size() == 1);

    auto client = shop.server.client();
    const auto csv = client.Get("/api/v1/segments/" + id + "/export.csv",
                                {{"Authorization", "Bearer " + shop.server.config().admin_token}});
    REQUIRE(csv);
    CHECK(csv->status == 200);
    CHECK(csv->get_header_value("Content-Type").starts_with("text/csv"));
    CHECK(csv->body.starts_with("id,name,phone,stage,"));
    CHECK(std::count(csv->body.begin(), csv->body.end(), '\n') == 4); // the header and three customers
    CHECK(csv->body.find("84912000011") != std::string::npos);

    CHECK(shop.admin_send("DELETE", "/api/v1/segments/" + id, json::object()).first == 204);
    shop.admin_get("/api/v1/segments/" + id, 404);
}

TEST_CASE("the tags shop staff put on followers in the OA make a segment, and follow them off again",
          "[integration][segments]") {
    Shop shop;
    for (const char* user : {"z-si-1", "z-si-2", "z-le"}) {
        shop.send_zalo(follow_body(user, shop.clock.now()));
    }
    const auto tag_event = [&](const char* event_name, const std::vector<std::string>& users, const char* at) {
        return json{{"app_id", "app-1"},
                    {"oa_id", "oa-1"},
                    {"event_name", event_name},
                    {"tag", {{"name", "Khách sỉ"}, {"user_ids", users}}},
                    {"timestamp", at}};
    };
    // Two followers pheu knows and one it never heard from are tagged at once.
    shop.send_zalo(tag_event("add_user_to_tag", {"z-si-1", "z-si-2", "z-stranger"}, "1800000000001"));
    REQUIRE(eventually([&] { return count_of(shop, {{"zalo_tag", "Khách sỉ"}}) == 2; }));
    CHECK(count_of(shop, {{"zalo_tag", "khách sỉ"}}) == 0); // the tag as the OA spells it
    // A tagging is nothing the shopper did: it gets no answer.
    const std::string tagged = shop.customer_by("zalo_user_id=z-si-1")["id"];
    CHECK(shop.messages_of(tagged).size() == shop.messages_of(shop.customer_by("zalo_user_id=z-le")["id"]).size());

    shop.send_zalo(tag_event("remove_user_from_tag", {"z-si-2"}, "1800000000002"));
    REQUIRE(eventually([&] { return count_of(shop, {{"zalo_tag", "Khách sỉ"}}) == 1; }));
    shop.send_zalo({{"app_id", "app-1"},
                    {"oa_id", "oa-1"},
                    {"event_name", "remove_tag"},
                    {"tag", {{"name", "Khách sỉ"}}},
                    {"timestamp", "1800000000003"}});
    REQUIRE(eventually([&] { return count_of(shop, {{"zalo_tag", "Khách sỉ"}}) == 0; }));
}

TEST_CASE("a stage threshold preview counts what each stage would hold, agrees with the stages now, and saves nothing",
          "[integration][segments]") {
    Shop shop;
    open_shop(shop);
    const json now = shop.admin_get("/api/v1/reports/funnel")["stages"];
    const json current = shop.admin_get("/api/v1/settings")["stage_thresholds"];
    const auto preview = [&](const json& thresholds) {
        const auto [status, reply] = shop.admin_send("POST", "/api/v1/settings/stage_thresholds/preview", thresholds);
        INFO(reply.dump());
        REQUIRE(status == 200);
        return reply["stages"];
    };
    // The thresholds in force: the stages customers hold now.
    CHECK(preview(current) == now);
    // One order in 180 days makes a frequent buyer: every recent buyer moves up, and no one
    // stays a new customer.
    const json eager = preview({{"frequent_min_orders", 1}});
    CHECK(eager["frequent_buyer"].get<std::int64_t>() > now["frequent_buyer"].get<std::int64_t>());
    CHECK(eager["new_customer"] == 0);
    const json patient = preview({{"dormant_after_days", 3650}});
    CHECK(patient["dormant"] == 0);
    CHECK(shop.admin_get("/api/v1/settings")["stage_thresholds"] == current); // nothing saved
    CHECK(shop.admin_send("POST", "/api/v1/settings/stage_thresholds/preview", {{"frequent_min_orders", 0}})
              .second["error"]["path"] == "/frequent_min_orders");
}
