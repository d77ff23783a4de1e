// Short links and what messages earned, through the real server: a broadcast's link becomes
// <public_base_url>/r/<token>, a click is recorded once and redirected with UTM parameters,
// and a purchase within the attribution window after it is the message's.
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>

using namespace pheu::testing;
using nlohmann::json;

namespace {

constexpr const char* k_base = "https://pheu.shop.test";

std::string short_link_in(const std::string& text) {
    static const std::regex link(R"(https://pheu\.shop\.test/r/([0-9A-Za-z]+))");
    std::smatch found;
    REQUIRE(std::regex_search(text, found, link));
    return found[1];
}

httplib::Result follow(Shop& shop, const std::string& token, const std::string& agent) {
    auto client = shop.server.client();
    return client.Get("/r/" + token, {{"User-Agent", agent}});
}

constexpr const char* k_phone_browser =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile Zalo/24.1";

} // namespace

TEST_CASE("a link in a sent message is a short link: a click is recorded once and redirected with UTM parameters, "
          "and a purchase 2 days later is the message's, one 9 days later is not",
          "[integration][links]") {
    Shop shop([](pheu::bot::Config& config) { config.public_base_url = k_base; });
    advance_to_local_hour(shop.clock, 10);
    // The cadence would write to these leads in between: this test is about the broadcast.
    REQUIRE(shop.admin_send("PUT", "/api/v1/playbook/journeys/lead_cadence", {{"enabled", false}}).first == 200);
    REQUIRE(shop.admin_send("POST", "/api/v1/templates",
                            {{"id", "sale"},
                             {"body", "Sale cuối tuần: xem tại https://shop.vn/sale?size=M. Hẹn bạn!"},
                             {"buttons", {{{"title", "Xem ngay"}, {"url", "https://shop.vn/sale"}}}}})
                .first == 201);
    for (const char* user : {"z-an", "z-binh"}) {
        shop.send_zalo(zalo_text_body(user, "chào shop", std::string(user) + "-1", shop.clock.now()));
    }
    const auto [segment_status, segment] =
        shop.admin_send("POST", "/api/v1/segments", {{"name", "Mọi người"}, {"filter", json::object()}});
    REQUIRE(segment_status == 201);
    const auto [status, created] = shop.admin_send(
        "POST", "/api/v1/broadcasts", {{"name", "Sale"}, {"segment_id", segment["id"]}, {"template", "sale"}});
    REQUIRE(status == 201);
    const std::string trigger = "broadcast:" + created["id"].get<std::string>();
    REQUIRE(eventually(
        [&] { return shop.admin_get("/api/v1/broadcasts/" + created["id"].get<std::string>())["status"] == "done"; }));

    const std::string an = shop.customer_by("zalo_user_id=z-an")["id"];
    const std::string binh = shop.customer_by("zalo_user_id=z-binh")["id"];
    const auto sent_to_an = with_trigger(shop.messages_of(an), trigger);
    REQUIRE(sent_to_an.size() == 1);
    const std::string text = sent_to_an[0]["text"];
    CHECK(text.find("https://shop.vn") == std::string::npos); // the shop's link is behind pheu's
    const std::string token = short_link_in(text);

    // A platform drawing the link's preview is redirected, not counted.
    auto preview = follow(shop, token, "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)");
    REQUIRE(preview);
    CHECK(preview->status == 302);
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM link_clicks") == 0);

    auto click = follow(shop, token, k_phone_browser);
    REQUIRE(click);
    CHECK(click->status == 302);
    // (cpp-httplib's client hands the Location header back percent-decoded.)
    CHECK(std::regex_replace(click->get_header_value("Location"), std::regex("%3A"), ":") ==
          "https://shop.vn/sale?size=M&utm_source=pheu&utm_medium=zalo&utm_campaign=" + trigger);
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM link_clicks") == 1);
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM link_clicks WHERE customer_id = " + an) == 1);

    // A token pheu did not sign, or no token at all, leads nowhere.
    std::string forged = token;
    forged.back() = forged.back() == 'a' ? 'b' : 'a';
    CHECK(follow(shop, forged, k_phone_browser)->status == 404);
    CHECK(follow(shop, "1" + token, k_phone_browser)->status == 404);

    // Binh clicks too; An buys 2 days later, Binh 9 days later.
    CHECK(follow(shop, short_link_in(with_trigger(shop.messages_of(binh), trigger)[0]["text"]), k_phone_browser)
              ->status == 302);
    shop.clock.advance_days(2);
    shop.send_events({shop.purchase("an-1", {{"zalo_user_id", "z-an"}}, 0, 300000)});
    shop.clock.advance_days(7);
    shop.send_events({shop.purchase("binh-1", {{"zalo_user_id", "z-binh"}}, 0, 500000)});

    const json report = shop.admin_get("/api/v1/reports/messages");
    CHECK(report["attribution_window_days"] == 7);
    INFO(report.dump());
    const auto rows = with_trigger(report["items"], trigger);
    REQUIRE(rows.size() == 1);
    const json& row = rows[0];
    CHECK(row["sent"] == 2);
    CHECK(row["clicked"] == 2);
    CHECK(row["converted"] == 1);
    CHECK(row["revenue"] == 300000);
    CHECK(row["held_out"] == 0);
    CHECK(row["lift"].is_null()); // no control group to compare with

    // An's links and clicks are An's data: exported with the rest, and erased with it.
    const json exported = shop.admin_get("/api/v1/customers/" + an + "/export");
    REQUIRE(exported["links"].size() == 2); // the text's link and the button's
    CHECK(exported["links"][0]["url"] == "https://shop.vn/sale?size=M");
    CHECK(exported["link_clicks"].size() == 1);
    REQUIRE(shop.admin_send("DELETE", "/api/v1/customers/" + an, json::object()).first == 200);
    CHECK(follow(shop, token, k_phone_browser)->status == 410);
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM links WHERE url LIKE 'https%' AND customer_id = " + an) == 0);
    CHECK(shop.admin_get("/api/v1/reports/messages")["items"] == report["items"]); // every figure stays right
}
