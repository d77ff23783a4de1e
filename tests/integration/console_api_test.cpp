// The shop's console API: every admin route refuses a missing or wrong token, input is
// validated with the field's path, and each screen's operations work end to end.
#include "store/sql/connection.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <limits>
#include <regex>
#include <string>
#include <thread>

using namespace pheu::testing;
using nlohmann::json;

namespace {

httplib::Result send(const TestServer& server, const std::string& method, const std::string& path,
                     const httplib::Headers& headers, const std::string& body = "{}") {
    auto client = server.client();
    if (method == "GET") {
        return client.Get(path.c_str(), headers);
    }
    if (method == "PUT") {
        return client.Put(path.c_str(), headers, body, "application/json");
    }
    if (method == "DELETE") {
        return client.Delete(path.c_str(), headers);
    }
    return client.Post(path.c_str(), headers, body, "application/json");
}

json error_of(const std::pair<int, json>& reply) {
    INFO(reply.second.dump());
    return reply.second.at("error");
}

} // namespace

TEST_CASE("every admin route answers 401 without the admin token or a session, or with a wrong one",
          "[integration][console]") {
    // Some 100 wrong tokens from one address: the failed-authentication limit is the next test's.
    TestServer server([](pheu::bot::Config& config) { config.failed_auth_burst = 1000; });
    int walked = 0;
    for (const auto& [method, pattern] : server.application().routes()) {
        if (pattern.rfind("/api/v1/", 0) != 0 || pattern == "/api/v1/events" || pattern == "/api/v1/openapi.json" ||
            pattern == "/api/v1/session" || pattern.rfind("/api/v1/miniapp", 0) == 0) {
            continue;
        }
        const std::string path = std::regex_replace(pattern, std::regex(R"(\([^)]*\))"), "1");
        INFO(method << " " << path);
        for (const httplib::Headers& headers :
             {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer wrong-token"}},
              httplib::Headers{{"Authorization", "admin-token-for-tests-only"}},
              httplib::Headers{{"Authorization", "Bearer admin-token-for-tests-onlyX"}},
              httplib::Headers{{"Cookie", "pheu_session=0123456789abcdef"}},
              httplib::Headers{{"Cookie", "pheu_session="}}}) {
            auto result = send(server, method, path, headers);
            REQUIRE(result);
            CHECK(result->status == 401);
            CHECK(json::parse(result->body)["error"]["code"] == "unauthorized");
        }
        ++walked;
    }
    CHECK(walked >= 25);
}

TEST_CASE("wrong tokens from one address are answered 429 after ten, counted and audited, and webhooks go on",
          "[integration][console]") {
    TestServer server;
    auto client = server.client();
    for (int i = 0; i < 10; ++i) {
        const auto guess = client.Get("/api/v1/customers", {{"Authorization", "Bearer guess-" + std::to_string(i)}});
        REQUIRE(guess);
        CHECK(guess->status == 401);
    }
    const auto held = client.Get("/api/v1/customers", {{"Authorization", "Bearer guess-10"}});
    REQUIRE(held);
    CHECK(held->status == 429);
    CHECK(held->has_header("Retry-After"));
    CHECK(std::stoi(held->get_header_value("Retry-After")) >= 1);
    CHECK(json::parse(held->body)["error"]["code"] == "too_many_failed_authentications");
    // Even the right token waits: the address is guessing.
    CHECK(client.Get("/api/v1/customers", {{"Authorization", "Bearer admin-token-for-tests-only"}})->status == 429);
    CHECK(client.Post("/api/v1/events", {{"Authorization", "Bearer guess"}}, "{}", "application/json")->status == 429);
    // The platforms, which carry no token, are not held back.
    CHECK(client.Get("/healthz")->status == 200);
    const auto metrics = client.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("pheu_auth_failures_total 10") != std::string::npos);
    bool audited = false;
    for (int i = 0; i < 50 && !audited; ++i) {
        audited =
            query_int(server.database(),
                      "SELECT count(*) FROM audit_log WHERE action = 'auth.rate_limited' AND target = '127.0.0.1'") ==
            1;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(audited);
}

TEST_CASE("the console cannot be framed and the API's answers are never cached", "[integration][console]") {
    Shop shop;
    auto console = shop.server.client().Get("/admin");
    REQUIRE(console);
    CHECK(console->status == 200);
    CHECK(console->get_header_value("X-Frame-Options") == "DENY");
    CHECK(console->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
    CHECK(console->get_header_value("Referrer-Policy") == "no-referrer");
    shop.send_events({shop.purchase("cache-1", {{"phone", "0912345678"}, {"name", "Nguyễn Lan"}}, 1)});
    for (const char* path : {"/api/v1/customers", "/api/v1/customers/1", "/api/v1/customers/export.csv",
                             "/api/v1/messages", "/api/v1/customers?phone=0912345678"}) {
        INFO(path);
        auto answer = shop.server.client().Get(path, {{"Authorization", "Bearer admin-token-for-tests-only"}});
        REQUIRE(answer);
        CHECK(answer->status == 200);
        CHECK(answer->get_header_value("Cache-Control") == "no-store");
    }
}

TEST_CASE("settings are validated by field, saved, audited and used", "[integration][console]") {
    Shop shop;
    const json settings = shop.admin_get("/api/v1/settings");
    CHECK(settings["send_policy"]["daily_cap"] == 2);
    CHECK(settings["send_policy"]["quiet_hours"] == json{{"start", "22:00"}, {"end", "06:00"}});
    CHECK(settings["stage_tags"]["new_lead"] == "Lead mới");
    CHECK(settings["timezone"] == "Asia/Ho_Chi_Minh");

    auto bad = shop.admin_send("PUT", "/api/v1/settings/send_policy",
                               {{"quiet_hours", {{"start", "25:00"}, {"end", "06:00"}}}});
    CHECK(bad.first == 400);
    CHECK(error_of(bad)["path"] == "/quiet_hours/start");
    bad = shop.admin_send("PUT", "/api/v1/settings/stage_thresholds", {{"frequent_min_orders", 0}});
    CHECK(error_of(bad)["path"] == "/frequent_min_orders");
    bad = shop.admin_send("PUT", "/api/v1/settings/zalo_templates",
                          {{"winback", {{"template_id", "1"}, {"via", "sms"}}}});
    CHECK(error_of(bad)["path"] == "/winback/via");
    CHECK(shop.admin_send("PUT", "/api/v1/settings/colour", json::object()).first == 404);

    auto saved = shop.admin_send("PUT", "/api/v1/settings/stage_thresholds",
                                 {{"frequent_min_orders", 2},
                                  {"frequent_window_days", 180},
                                  {"dormant_after_days", 90},
                                  {"dormant_quiet_days", 30}});
    CHECK(saved.first == 200);
    CHECK(saved.second["frequent_min_orders"] == 2);
    // Two orders now make a frequent buyer.
    shop.send_events(
        {shop.purchase("s1", {{"external_id", "pos-9"}}, 3), shop.purchase("s2", {{"external_id", "pos-9"}}, 1)});
    CHECK(shop.customer_by("external_id=pos-9")["stage"] == "frequent_buyer");

    const json audit = shop.admin_get("/api/v1/audit");
    REQUIRE(!audit["items"].empty());
    CHECK(audit["items"][0]["action"] == "settings.put");
    CHECK(audit["items"][0]["target"] == "stage_thresholds");
    CHECK(audit["items"][0]["actor"].get<std::string>().rfind("admin:", 0) == 0);
    CHECK(audit["items"][0]["actor"].get<std::string>().find("admin-token-for-tests-only") == std::string::npos);
}

TEST_CASE("a playbook rule can be switched off and its timing edited, with errors naming the field",
          "[integration][console]") {
    Shop shop;
    const json playbook = shop.admin_get("/api/v1/playbook");
    CHECK(playbook["rules"][0]["enabled"] == true);
    auto bad = shop.admin_send("PUT", "/api/v1/playbook/rules/welcome_follow_lead", {{"template", "no_such_template"}});
    CHECK(bad.first == 400);
    CHECK(error_of(bad)["path"] == "/template");
    bad = shop.admin_send("PUT", "/api/v1/playbook/rules/welcome_follow_lead", {{"cooldown_hours", -1}});
    CHECK(error_of(bad)["path"] == "/cooldown_hours");
    bad = shop.admin_send("PUT", "/api/v1/playbook/journeys/lead_cadence",
                          {{"steps", {{{"id", "day_1"}, {"after_days", 5}}, {{"id", "day_2"}, {"after_days", 1}}}}});
    CHECK(error_of(bad)["path"] == "/steps/1");
    CHECK(shop.admin_send("PUT", "/api/v1/playbook/rules/nope", {{"enabled", false}}).first == 404);

    for (const char* rule : {"welcome_follow_lead", "welcome_follow_back"}) {
        const auto off = shop.admin_send("PUT", std::string("/api/v1/playbook/rules/") + rule, {{"enabled", false}});
        REQUIRE(off.first == 200);
        CHECK(off.second["enabled"] == false);
    }
    shop.send_zalo(follow_body("zalo-quiet-welcome", shop.clock.now()));
    const std::string id = shop.customer_by("zalo_user_id=zalo-quiet-welcome")["id"];
    for (const auto& message : shop.messages_of(id)) {
        CHECK(message["trigger"] != "event:follow");
    }
    const auto timing = shop.admin_send("PUT", "/api/v1/playbook/journeys/cart_reminder",
                                        {{"steps", {{{"id", "hour_4"}, {"after_hours", 2}}}}});
    CHECK(timing.first == 200);
    CHECK(shop.admin_get("/api/v1/playbook")["journeys"][1]["steps"][0]["after_hours"] == 2);
}

TEST_CASE("templates are created, versioned, rolled back, previewed on sample data and deleted when unused",
          "[integration][console]") {
    Shop shop;
    auto created =
        shop.admin_send("POST", "/api/v1/templates", {{"id", "flash_sale"}, {"body", "Chào {{customer.name}}!"}});
    REQUIRE(created.first == 201);
    CHECK(created.second["version"] == 1);
    CHECK(shop.admin_send("POST", "/api/v1/templates", {{"id", "flash_sale"}, {"body", "x"}}).first == 409);
    CHECK(error_of(shop.admin_send("POST", "/api/v1/templates", {{"id", "Flash Sale"}, {"body", "x"}}))["path"] ==
          "/id");
    const auto broken = shop.admin_send("POST", "/api/v1/templates", {{"id", "broken"}, {"body", "{{#a}}"}});
    CHECK(error_of(broken)["code"] == "invalid_template");
    CHECK(error_of(broken)["line"] == 1);
    // A brace missing: refused where it is, not saved to swallow the text up to the next "}}".
    const auto typo = shop.admin_send("PUT", "/api/v1/templates/flash_sale",
                                      {{"body", "Chào {{customer.name}, mã của bạn {{voucher.code}}"}});
    CHECK(typo.first == 400);
    CHECK(error_of(typo)["code"] == "invalid_template");
    CHECK(error_of(typo)["line"] == 1);
    CHECK(error_of(typo)["column"] == 6);
    // A name no message has is saved, with a warning.
    const auto unknown =
        shop.admin_send("POST", "/api/v1/templates", {{"id", "warned"}, {"body", "Chào {{khach.ten}}!"}});
    REQUIRE(unknown.first == 201);
    REQUIRE(unknown.second["warnings"].size() == 1);
    CHECK(unknown.second["warnings"][0]["name"] == "khach.ten");
    const auto resaved =
        shop.admin_send("PUT", "/api/v1/templates/warned", {{"body", "Chào {{khach.ten}} {{customer.given_name}}"}});
    REQUIRE(resaved.first == 200);
    CHECK(resaved.second["warnings"].size() == 1);
    // Not one built-in template names something its messages lack.
    const json all_templates = shop.admin_get("/api/v1/templates");
    for (const auto& item : all_templates["items"]) {
        if (item["id"] == "warned") {
            continue;
        }
        INFO(item["id"]);
        const auto preview = shop.admin_send("POST", "/api/v1/templates/" + item["id"].get<std::string>() + "/preview",
                                             {{"body", item["body"]}});
        REQUIRE(preview.first == 200);
        CHECK(preview.second["warnings"].empty());
    }

    REQUIRE(shop.admin_send("PUT", "/api/v1/templates/flash_sale", {{"body", "Sale {{shop.name}}"}}).first == 200);
    const json versions = shop.admin_get("/api/v1/templates/flash_sale/versions");
    REQUIRE(versions["items"].size() == 2);
    CHECK(versions["items"][0]["version"] == 2);
    const auto rolled = shop.admin_send("POST", "/api/v1/templates/flash_sale/rollback", {{"version", 1}});
    REQUIRE(rolled.first == 200);
    CHECK(rolled.second["version"] == 3);
    CHECK(rolled.second["body"] == "Chào {{customer.name}}!");
    CHECK(shop.admin_send("POST", "/api/v1/templates/flash_sale/rollback", {{"version", 9}}).first == 404);

    const auto sample = shop.admin_send("POST", "/api/v1/templates/flash_sale/preview", json::object());
    REQUIRE(sample.first == 200);
    CHECK(sample.second["text"] == "Chào Nguyễn Thị Lan!");
    // A preview for a channel pheu does not send on says so, whatever the channel is.
    for (const json& channel : {json("sms"), json(5)}) {
        const auto refused =
            shop.admin_send("POST", "/api/v1/templates/flash_sale/preview", json{{"channel", channel}});
        CHECK(refused.first == 400);
        CHECK(refused.second["error"]["path"] == "/channel");
    }
    CHECK(shop.admin_send("POST", "/api/v1/templates/flash_sale/preview", {{"channel", "messenger"}}).first == 200);

    const auto in_use = shop.admin_send("DELETE", "/api/v1/templates/welcome_follow", json::object());
    CHECK(shop.server.client()
              .Delete("/api/v1/templates/welcome_follow", {{"Authorization", "Bearer admin-token-for-tests-only"}})
              ->status == 409);
    (void)in_use;
    CHECK(shop.server.client()
              .Delete("/api/v1/templates/flash_sale", {{"Authorization", "Bearer admin-token-for-tests-only"}})
              ->status == 204);
    shop.admin_get("/api/v1/templates/flash_sale", 404);
}

TEST_CASE("voucher campaigns are created and fill their pool, the catalog imports CSV with every bad row named",
          "[integration][console]") {
    Shop shop;
    CHECK(error_of(shop.admin_send("POST", "/api/v1/vouchers",
                                   {{"id", "tet"}, {"description", "Tết"}, {"code_pattern", "AB"}}))["path"] ==
          "/code_pattern");
    REQUIRE(shop.admin_send("POST", "/api/v1/vouchers",
                            {{"id", "tet"},
                             {"description", "Giảm 15% dịp Tết"},
                             {"code_pattern", "TET-****"},
                             {"validity_days", 10},
                             {"eligible_stages", {"dormant"}}})
                .first == 201);
    const auto generated = shop.admin_send("POST", "/api/v1/vouchers/tet/generate", {{"count", 25}});
    REQUIRE(generated.first == 200);
    CHECK(generated.second["added"] == 25);
    bool found = false;
    const json campaigns = shop.admin_get("/api/v1/vouchers");
    for (const auto& campaign : campaigns["items"]) {
        if (campaign["id"] == "tet") {
            found = true;
            CHECK(campaign["pool_available"] == 25);
        }
    }
    CHECK(found);

    auto post_csv = [&](const std::string& csv) {
        auto result = shop.server.client().Post(
            "/api/v1/products", {{"Authorization", "Bearer admin-token-for-tests-only"}}, csv, "text/csv");
        REQUIRE(result);
        return std::pair<int, json>{result->status, json::parse(result->body)};
    };
    const auto bad = post_csv("sku,name,price,in_stock\nAO-1,Áo thun,199.000,có\nAO-2,,150000,1\nAO-3,Quần,abc,0\n");
    CHECK(bad.first == 400);
    REQUIRE(error_of(bad)["rows"].size() == 2);
    CHECK(error_of(bad)["rows"][0]["path"] == "/products/1/name");
    CHECK(error_of(bad)["rows"][0]["line"] == 3); // the line Excel shows, the header being line 1
    CHECK(error_of(bad)["rows"][1]["path"] == "/products/2/price");
    CHECK(error_of(bad)["rows"][1]["line"] == 4);
    CHECK(shop.admin_get("/api/v1/products")["items"].empty());
    const auto good =
        post_csv("sku,name,price,in_stock,url\nAO-1,\"Áo thun, cổ tròn\",199.000,có,https://shop.vn/ao-1\n");
    CHECK(good.first == 200);
    const json products = shop.admin_get("/api/v1/products")["items"];
    REQUIRE(products.size() == 1);
    CHECK(products[0]["name"] == "Áo thun, cổ tròn");
    CHECK(products[0]["price"] == 199000);
    CHECK(error_of(post_csv("sku,colour\nA,B\n"))["code"] == "invalid_csv");
}

TEST_CASE("totals past int64 in the database still give reports, the customer list and the export",
          "[integration][console]") {
    if (pheu::testing::server_backend() == pheu::store::sql::Backend::postgresql) {
        return; // PostgreSQL's databases began after money was bounded at the door
    }
    Shop shop;
    shop.send_events(
        {shop.purchase("huge-1", {{"phone", "0912345678"}}, 1), shop.purchase("huge-2", {{"phone", "0912345678"}}, 2)});
    // A database written before money was bounded at the door.
    pheu::store::sql::open_connection(shop.server.database())->execute("UPDATE orders SET total = 5000000000000000000");
    const json report = shop.admin_get("/api/v1/reports/funnel");
    CHECK(report["revenue_by_stage"].is_object());
    const json customers = shop.admin_get("/api/v1/customers");
    REQUIRE(customers["items"].size() == 1);
    CHECK(customers["items"][0]["total_spent"] == std::numeric_limits<std::int64_t>::max());
    auto exported = shop.server.client().Get("/api/v1/customers/export.csv",
                                             {{"Authorization", "Bearer admin-token-for-tests-only"}});
    REQUIRE(exported);
    CHECK(exported->status == 200);
}

TEST_CASE("names and ids a shopper chose reach the exported CSV as text, never as formulas", "[integration][console]") {
    Shop shop;
    const std::vector<std::string> hostile = {"=HYPERLINK(\"http://evil.example\",\"Lan\")",
                                              "+cmd|' /C calc'!A0",
                                              "-2+3",
                                              "@SUM(1+1)*cmd",
                                              "\tTAB",
                                              "\rCR",
                                              "Nguyễn Lan"};
    json events = json::array();
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        events.push_back(shop.purchase("csv-" + std::to_string(i),
                                       {{"name", hostile[i]},
                                        {"external_id", "=" + std::to_string(i) + "+1"},
                                        {"phone", "09123456" + std::to_string(10 + i)}},
                                       1));
    }
    shop.send_events(events);
    auto exported = shop.server.client().Get("/api/v1/customers/export.csv",
                                             {{"Authorization", "Bearer admin-token-for-tests-only"}});
    REQUIRE(exported);
    REQUIRE(exported->status == 200);
    // Every cell, unquoted, must not start with a character a spreadsheet takes as a formula.
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    const std::string& csv = exported->body;
    for (std::size_t i = 0; i < csv.size(); ++i) {
        const char c = csv[i];
        if (quoted) {
            if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',' || c == '\n') {
            cells.push_back(cell);
            cell.clear();
        } else if (c != '\r') {
            cell += c;
        }
    }
    int names_found = 0;
    for (const auto& value : cells) {
        INFO(value);
        CHECK((value.empty() || std::string("=+-@\t\r").find(value.front()) == std::string::npos));
        names_found += value.find("HYPERLINK") != std::string::npos || value.find("Nguyễn Lan") != std::string::npos;
    }
    CHECK(names_found == 2); // kept, as text
    CHECK(csv.find("\"'=HYPERLINK(") != std::string::npos);
    CHECK(csv.find(",84912345610,") != std::string::npos); // phones as stored: 84…, as ad platforms match them
}

TEST_CASE("customers are searched, filtered by temperature and exported by stage, messages are listed and retried",
          "[integration][console]") {
    Shop shop;
    shop.send_events({shop.purchase("c1", {{"phone", "0912345678"}, {"name", "Nguyễn Lan"}}, 1),
                      shop.purchase("c2", {{"external_id", "pos-2"}, {"name", "Trần Minh"}}, 200)});
    shop.send_zalo(follow_body("zalo-hot", shop.clock.now()));
    CHECK(shop.admin_get("/api/v1/customers?q=0912345678")["items"].size() == 1);
    CHECK(shop.admin_get("/api/v1/customers?q=Minh")["items"][0]["name"] == "Trần Minh");
    // Typed without diacritics, or with other case: the same customer.
    CHECK(shop.admin_get("/api/v1/customers?q=tran%20minh")["items"][0]["name"] == "Trần Minh");
    CHECK(shop.admin_get("/api/v1/customers?q=TR%C3%80N")["items"][0]["name"] == "Trần Minh");
    CHECK(shop.admin_get("/api/v1/customers?q=pos-2")["items"].size() == 1);
    const json warm = shop.admin_get("/api/v1/customers?temperature=warm");
    REQUIRE(warm["items"].size() == 1);
    CHECK(warm["items"][0]["identities"][0]["id"] == "zalo-hot");
    shop.admin_get("/api/v1/customers?temperature=boiling", 400);

    auto exported = shop.server.client().Get("/api/v1/customers/export.csv?stage=new_customer",
                                             {{"Authorization", "Bearer admin-token-for-tests-only"}});
    REQUIRE(exported);
    CHECK(exported->status == 200);
    CHECK(exported->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
    CHECK(exported->body.rfind("id,name,phone,stage,", 0) == 0);
    CHECK(exported->body.find("84912345678") != std::string::npos);
    CHECK(exported->body.find("pos-2") == std::string::npos); // dormant, not a new customer

    const json skipped = shop.admin_get("/api/v1/messages?status=skipped");
    REQUIRE(!skipped["items"].empty());
    for (const auto& message : skipped["items"]) {
        CHECK(message["status"] == "skipped");
    }
    shop.admin_get("/api/v1/messages?status=lost", 400);
    const json first_page = shop.admin_get("/api/v1/messages?limit=1");
    REQUIRE(first_page["items"].size() == 1);
    REQUIRE(first_page["next_cursor"].is_string());
    const json second_page =
        shop.admin_get("/api/v1/messages?limit=1&cursor=" + first_page["next_cursor"].get<std::string>());
    REQUIRE(second_page["items"].size() == 1);
    CHECK(second_page["items"][0]["id"] != first_page["items"][0]["id"]);
    // A message that went out (sandboxed) is not retried; a skip without rendered text neither.
    const json sandboxed = shop.admin_get("/api/v1/messages?status=sandboxed");
    REQUIRE(!sandboxed["items"].empty());
    CHECK(shop.admin_send("POST", "/api/v1/messages/" + sandboxed["items"][0]["id"].get<std::string>() + "/retry",
                          json::object())
              .first == 409);
    CHECK(shop.admin_send("POST", "/api/v1/messages/" + skipped["items"][0]["id"].get<std::string>() + "/retry",
                          json::object())
              .first == 409);
}

TEST_CASE("the funnel report shows stages now and per day, conversions, vouchers, revenue and messages",
          "[integration][console]") {
    Shop shop;
    shop.send_zalo(follow_body("zalo-f1", shop.clock.now()));
    shop.send_events({shop.purchase("f1", {{"zalo_user_id", "zalo-f1"}}, 0, 300000)});
    const json report = shop.admin_get("/api/v1/reports/funnel");
    CHECK(report["stages"]["new_customer"] == 1);
    CHECK(report["total"] == 1);
    REQUIRE(report["per_day"].size() == 30);
    CHECK(report["per_day"].back()["stages"]["new_customer"] == 1);
    CHECK(report["conversion"]["lead_to_customer"]["converted"] == 1);
    CHECK(report["conversion"]["lead_to_customer"]["rate"] == 1.0);
    CHECK(report["revenue_by_stage"]["new_customer"] == 300000);
    CHECK(report["messages"]["by_status"]["sandboxed"].get<int>() >= 1);
    bool first_order = false;
    for (const auto& campaign : report["vouchers"]) {
        first_order |= campaign["campaign"] == "first_order" && campaign["issued"] == 1;
    }
    CHECK(first_order);
    shop.admin_get("/api/v1/reports/funnel?from=2026-13-01", 400);
    const json week = shop.admin_get("/api/v1/reports/funnel?from=2026-11-01&to=2026-11-07");
    CHECK(week["per_day"].size() == 7);
    CHECK(week["period"] == json{{"from", "2026-11-01"}, {"to", "2026-11-07"}});
}

TEST_CASE("the funnel report counts customers staged before its period and reads past periods",
          "[integration][console]") {
    Shop shop;
    shop.send_zalo(follow_body("zalo-early1", shop.clock.now()));
    shop.send_zalo(follow_body("zalo-early2", shop.clock.now()));
    shop.clock.advance_days(40);
    shop.send_events({shop.purchase("e1", {{"zalo_user_id", "zalo-early1"}}, 0, 300000)});
    shop.send_zalo(follow_body("zalo-late", shop.clock.now()));

    // The last 30 days: both early followers were leads before it began; one bought today.
    const json recent = shop.admin_get("/api/v1/reports/funnel");
    REQUIRE(recent["per_day"].size() == 30);
    CHECK(recent["per_day"][0]["stages"] ==
          json{{"new_lead", 2}, {"new_customer", 0}, {"frequent_buyer", 0}, {"dormant", 0}});
    CHECK(recent["per_day"].back()["stages"] == recent["stages"]);
    CHECK(recent["stages"]["new_lead"] == 2);
    CHECK(recent["stages"]["new_customer"] == 1);
    CHECK(recent["conversion"]["lead_to_customer"]["converted"] == 1);
    CHECK(recent["conversion"]["lead_to_customer"]["base"] == 3); // two at the start, one entering
    json transitions = json::object();
    for (const auto& transition : recent["transitions"]) {
        transitions[transition["from"].get<std::string>() + ">" + transition["to"].get<std::string>()] =
            transition["count"];
    }
    CHECK(transitions == json{{"none>new_lead", 1}, {"new_lead>new_customer", 1}});

    // A week around the first follows, read 40 days later: the purchase since changes nothing in it.
    const std::string from = days_ago(shop.clock, 43).substr(0, 10);
    const std::string to = days_ago(shop.clock, 37).substr(0, 10);
    const json past = shop.admin_get("/api/v1/reports/funnel?from=" + from + "&to=" + to);
    REQUIRE(past["per_day"].size() == 7);
    CHECK(past["per_day"][0]["stages"]["new_lead"] == 0);
    CHECK(past["per_day"].back()["stages"] ==
          json{{"new_lead", 2}, {"new_customer", 0}, {"frequent_buyer", 0}, {"dormant", 0}});
    REQUIRE(past["transitions"].size() == 1);
    CHECK(past["transitions"][0] == json{{"from", "none"}, {"to", "new_lead"}, {"count", 2}});
}
