// The Zalo Mini App endpoints against a fake Zalo Graph API (tests/support/fake_platforms).
#include "common/crypto.h"
#include "tests/support/fake_platforms.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>

using namespace pheu::testing;
using nlohmann::json;

namespace {

constexpr const char* k_origin = "https://h5.zdn.vn";

std::function<void(pheu::bot::Config&)> with_miniapp(const FakePlatforms& fake, std::int64_t rate_burst = 20) {
    return [&fake, rate_burst](pheu::bot::Config& config) {
        pheu::bot::MiniAppConfig miniapp;
        miniapp.app_id = "miniapp-1";
        miniapp.app_secret = FakePlatforms::k_miniapp_secret;
        miniapp.graph_base = fake.base_url();
        miniapp.allowed_origins = {k_origin};
        miniapp.rate_burst = rate_burst;
        config.miniapp = miniapp;
    };
}

httplib::Result post(Shop& shop, const std::string& path, const std::string& token, const json& body,
                     const std::string& origin = k_origin) {
    httplib::Headers headers = {{"X-Zalo-Access-Token", token}};
    if (!origin.empty()) {
        headers.emplace("Origin", origin);
    }
    return shop.server.client().Post(path.c_str(), headers, body.dump(), "application/json");
}

// A game the shopper just played and won, as the Mini App reports it.
json game_now(const Shop& shop, const std::string& id) {
    return {{"event_id", id},
            {"type", "game_played"},
            {"occurred_at", days_ago(shop.clock, 0)},
            {"properties", {{"game_id", "vong-quay"}, {"result", "win"}, {"prize", "Giảm 50.000đ"}}}};
}

} // namespace

TEST_CASE("the Mini App shopper is the one Zalo verifies, with a correct appsecret_proof, once per burst",
          "[integration][miniapp]") {
    FakePlatforms fake;
    fake.add_miniapp_shopper("shopper-token", "app-user-1", "Hoa");
    Shop shop(with_miniapp(fake));
    for (int i = 0; i < 5; ++i) {
        auto result = post(shop, "/api/v1/miniapp/events", "shopper-token", game_now(shop, "g-" + std::to_string(i)));
        REQUIRE(result);
        INFO(result->body);
        CHECK(result->status == 202);
        CHECK(result->get_header_value("Access-Control-Allow-Origin") == k_origin);
    }
    const auto calls = fake.requests("/v2.0/me");
    REQUIRE(calls.size() == 1); // the verified token is cached
    CHECK(calls[0].method == "GET");
    CHECK(calls[0].query.at("fields") == "id,name,picture");
    CHECK(calls[0].header("access_token") == "shopper-token");
    CHECK(calls[0].header("appsecret_proof") ==
          pheu::common::hmac_sha256_hex(FakePlatforms::k_miniapp_secret, "shopper-token"));
    REQUIRE(shop.server.wait_until_processed());
    const json customer = shop.customer_by("zalo_app_user_id=app-user-1");
    CHECK(customer["name"] == "Hoa");
    CHECK(shop.server.inbox_total() == 5);

    // A token Zalo refuses: 401 and nothing stored.
    auto refused = post(shop, "/api/v1/miniapp/events", "forged-token", game_now(shop, "g-x"));
    CHECK(refused->status == 401);
    CHECK(post(shop, "/api/v1/miniapp/events", "", game_now(shop, "g-y"))->status == 401);
    CHECK(shop.server.inbox_total() == 5);

    // The customer is never the client's to name.
    json claimed = game_now(shop, "g-z");
    claimed["customer"] = {{"zalo_user_id", "someone-else"}};
    auto named = post(shop, "/api/v1/miniapp/events", "shopper-token", claimed);
    CHECK(named->status == 400);
    CHECK(json::parse(named->body)["error"]["path"] == "/customer");
    auto opened = post(shop, "/api/v1/miniapp/events", "shopper-token",
                       {{"event_id", "open-1"}, {"type", "miniapp_opened"}, {"occurred_at", days_ago(shop.clock, 0)}});
    CHECK(opened->status == 202);
}

TEST_CASE("a shared phone is exchanged server-side, stored with consent and merged with the POS customer",
          "[integration][miniapp]") {
    FakePlatforms fake;
    fake.add_miniapp_shopper("shopper-token", "app-user-2", "Lan");
    fake.add_phone_code("phone-code-1", "84912345678");
    Shop shop(with_miniapp(fake));
    shop.send_events({shop.purchase("pos-1", {{"phone", "0912345678"}, {"external_id", "pos-cust-7"}}, 10)});
    const std::string pos_customer = shop.customer_by("external_id=pos-cust-7")["id"];
    REQUIRE(post(shop, "/api/v1/miniapp/events", "shopper-token", game_now(shop, "g-1"))->status == 202);
    REQUIRE(shop.server.wait_until_processed());

    auto shared = post(shop, "/api/v1/miniapp/phone", "shopper-token", {{"code", "phone-code-1"}});
    REQUIRE(shared);
    INFO(shared->body);
    REQUIRE(shared->status == 200);
    const json answer = json::parse(shared->body);
    CHECK(answer["phone"] == "84912345678");
    CHECK(answer["customer_id"] == pos_customer);
    const auto exchange = fake.requests("/v2.0/me/info");
    REQUIRE(exchange.size() == 1);
    CHECK(exchange[0].header("access_token") == "shopper-token");
    CHECK(exchange[0].header("code") == "phone-code-1");
    CHECK(exchange[0].header("secret_key") == FakePlatforms::k_miniapp_secret);
    // One customer now, known by the POS id, the phone and the Mini App id.
    const json merged = shop.customer_by("zalo_app_user_id=app-user-2");
    CHECK(merged["id"] == pos_customer);
    CHECK(merged["phone"] == "84912345678");
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM customers WHERE phone_consent_at IS NOT NULL") == 1);

    // The code is single-use: a second exchange is refused, clearly, and not retried.
    auto again = post(shop, "/api/v1/miniapp/phone", "shopper-token", {{"code", "phone-code-1"}});
    CHECK(again->status == 400);
    CHECK(json::parse(again->body)["error"]["code"] == "phone_code_refused");
    CHECK(fake.requests("/v2.0/me/info").size() == 2);
    CHECK(post(shop, "/api/v1/miniapp/phone", "shopper-token", json::object())->status == 400);
}

TEST_CASE("a game played in the Mini App is answered in the OA chat once an OA webhook links the two ids",
          "[integration][miniapp]") {
    FakePlatforms fake;
    fake.add_miniapp_shopper("shopper-token", "app-user-3", "Minh");
    Shop shop(with_miniapp(fake));
    advance_to_local_hour(shop.clock, 10);
    REQUIRE(post(shop, "/api/v1/miniapp/events", "shopper-token", game_now(shop, "g-1"))->status == 202);
    REQUIRE(shop.server.wait_until_processed());
    const std::string id = shop.customer_by("zalo_app_user_id=app-user-3")["id"];
    json messages = shop.messages_of(id);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["trigger"] == "event:game_played");
    CHECK(messages[0]["status"] == "queued");
    CHECK(messages[0]["reason"].get<std::string>().rfind("waiting_for_oa_link", 0) == 0);
    CHECK(messages[0]["text"].get<std::string>().find("Giảm 50.000đ") != std::string::npos);

    // The shopper writes to the OA: the webhook carries both ids.
    json text = zalo_text_body("zalo-oa-user-3", "shop ơi", "link-1", shop.clock.now());
    text["user_id_by_app"] = "app-user-3";
    shop.send_zalo(text);
    REQUIRE(eventually([&] {
        const json game_messages = shop.messages_of(shop.customer_by("zalo_user_id=zalo-oa-user-3")["id"]);
        for (const auto& message : game_messages) {
            if (message["trigger"] == "event:game_played") {
                return message["status"] == "sandboxed" && message["channel"] == "zalo";
            }
        }
        return false;
    }));
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE trigger = 'event:game_played' "
                                            "AND recipient = 'zalo-oa-user-3' AND account_id = 'oa-1'") == 1);
}

TEST_CASE("the Mini App endpoints answer CORS preflights for configured origins only, and limit each shopper",
          "[integration][miniapp]") {
    FakePlatforms fake;
    fake.add_miniapp_shopper("shopper-token", "app-user-4", "Vy");
    Shop shop(with_miniapp(fake, 3));
    auto preflight = [&](const std::string& origin, const std::string& method) {
        httplib::Request request;
        request.method = "OPTIONS";
        request.path = "/api/v1/miniapp/events";
        request.headers = {{"Origin", origin},
                           {"Access-Control-Request-Method", method},
                           {"Access-Control-Request-Headers", "content-type, x-zalo-access-token"}};
        return shop.server.client().send(request);
    };
    auto allowed = preflight(k_origin, "POST");
    REQUIRE(allowed);
    CHECK(allowed->status == 204);
    CHECK(allowed->get_header_value("Access-Control-Allow-Origin") == k_origin);
    CHECK(allowed->get_header_value("Access-Control-Allow-Methods") == "POST");
    CHECK(allowed->get_header_value("Access-Control-Allow-Headers") == "Content-Type, X-Zalo-Access-Token");
    auto other = preflight("https://evil.example", "POST");
    CHECK(other->status == 403);
    CHECK(other->get_header_value("Access-Control-Allow-Origin").empty());
    CHECK(preflight(k_origin, "DELETE")->status == 403);
    CHECK(
        post(shop, "/api/v1/miniapp/events", "shopper-token", game_now(shop, "c-0"), "https://evil.example")->status ==
        403);

    // A burst of 3, then 429 with Retry-After.
    for (int i = 0; i < 3; ++i) {
        CHECK(post(shop, "/api/v1/miniapp/events", "shopper-token", game_now(shop, "r-" + std::to_string(i)))->status ==
              202);
    }
    auto limited = post(shop, "/api/v1/miniapp/events", "shopper-token", game_now(shop, "r-9"));
    CHECK(limited->status == 429);
    CHECK(std::stoi(limited->get_header_value("Retry-After")) >= 1);
    CHECK(json::parse(limited->body)["error"]["code"] == "rate_limited");
}
