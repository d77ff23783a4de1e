// Connecting a Zalo OA from the console through Zalo's OAuth v4 with PKCE, against the fake
// Zalo: the permission page's address, the callback's state checked and spent, a refused
// code, and a connected OA whose waiting replies go out with the new token, which is stored
// sealed; and, with two instances on one PostgreSQL, an account connected again on one
// working again on the other.
#include "tests/support/fake_platforms.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <set>
#include <string>

using namespace pheu::testing;
using nlohmann::json;

namespace {

constexpr const char* k_master_key = "test-master-key-0123456789-abcdefghij";

// The query of a URL, decoded.
std::map<std::string, std::string> query_of(const std::string& url) {
    std::map<std::string, std::string> fields;
    const auto question = url.find('?');
    std::string rest = question == std::string::npos ? "" : url.substr(question + 1);
    std::regex field("([^&=]+)=([^&]*)");
    for (auto it = std::sregex_iterator(rest.begin(), rest.end(), field); it != std::sregex_iterator(); ++it) {
        fields[(*it)[1]] = httplib::detail::decode_url((*it)[2], true);
    }
    return fields;
}

// What the console's "Kết nối" button starts: the permission page's address.
std::map<std::string, std::string> authorize(Shop& shop) {
    const auto [status, answer] = shop.admin_send("POST", "/api/v1/connections/zalo/oa-1/authorize", json::object());
    INFO(answer.dump());
    REQUIRE(status == 200);
    return query_of(answer["url"]);
}

// Where the callback sends the browser: the console, with the outcome.
std::string callback(Shop& shop, const std::string& query) {
    auto result = shop.server.client().Get(("/oauth/zalo/callback?" + query).c_str());
    REQUIRE(result);
    CHECK(result->status == 303);
    return result->get_header_value("Location");
}

json zalo_connection(Shop& shop) {
    const json connections = shop.admin_get("/api/v1/connections");
    for (const auto& item : connections["items"]) {
        if (item["channel"] == "zalo") {
            return item;
        }
    }
    FAIL("no Zalo connection listed");
    return nullptr;
}

} // namespace

TEST_CASE("an OA whose tokens Zalo stopped honouring is connected again from the console through OAuth with PKCE",
          "[integration][connect]") {
    FakePlatforms fake;
    Shop shop(live_on(fake, [](pheu::bot::Config& config) {
        config.public_base_url = "https://shop.example";
        config.master_key = k_master_key;
    }));
    // The shop's tokens stop working (revoked in Zalo): the OA stops and her reply waits.
    fake.set_zalo_tokens("zalo-access-elsewhere", "zalo-refresh-elsewhere");
    shop.send_zalo(zalo_text_body("z-mai", "shop ơi còn váy maxi không", "mai-1", shop.clock.now()));
    REQUIRE(eventually([&] { return zalo_connection(shop)["working"] == false; }));
    CHECK(fake.accepted("/v3.0/oa/message/cs").empty());

    const auto page = authorize(shop);
    CHECK(page.at("app_id") == "app-1");
    CHECK(page.at("redirect_uri") == "https://shop.example/oauth/zalo/callback");
    CHECK(page.at("state").size() == 64);
    CHECK(std::regex_match(page.at("code_challenge"), std::regex("[A-Za-z0-9_-]{43}")));

    // A state pheu never opened is refused, and nothing is asked of Zalo.
    CHECK(callback(shop, "code=code-1&oa_id=oa-1&state=forged-state") == "/admin#/settings/zalo-state_invalid");
    CHECK(callback(shop, "code=code-1&oa_id=oa-1") == "/admin#/settings/zalo-state_invalid");
    for (const auto& asked : fake.requests("/v4/oa/access_token")) {
        CHECK(asked.body.find("authorization_code") == std::string::npos);
    }

    // A code Zalo will not exchange leaves the OA as it was; the state is spent with it.
    fake.grant_zalo_code("code-good", page.at("code_challenge"));
    CHECK(callback(shop, "code=code-forged&oa_id=oa-1&state=" + page.at("state")) ==
          "/admin#/settings/zalo-code_refused");
    CHECK(zalo_connection(shop)["working"] == false);
    CHECK(callback(shop, "code=code-good&oa_id=oa-1&state=" + page.at("state")) ==
          "/admin#/settings/zalo-state_invalid");

    // Another OA chosen on Zalo's page is not this one.
    const auto other = authorize(shop);
    CHECK(callback(shop, "code=code-good&oa_id=oa-2&state=" + other.at("state")) == "/admin#/settings/zalo-other_oa");

    // The admin says no on Zalo's page: no code comes back.
    const auto declined = authorize(shop);
    CHECK(callback(shop, "oa_id=oa-1&state=" + declined.at("state")) == "/admin#/settings/zalo-refused");

    // Granted: the code and the verifier of this request's challenge are exchanged.
    const auto granted = authorize(shop);
    fake.grant_zalo_code("code-granted", granted.at("code_challenge"));
    CHECK(callback(shop, "code=code-granted&oa_id=oa-1&state=" + granted.at("state")) ==
          "/admin#/settings/zalo-connected");
    const auto exchange = fake.accepted("/v4/oa/access_token");
    REQUIRE(exchange.size() == 1);
    CHECK(exchange[0].header("secret_key") == FakePlatforms::k_app_secret);
    CHECK(exchange[0].body.find("grant_type=authorization_code") != std::string::npos);
    CHECK(exchange[0].body.find("code_verifier=") != std::string::npos);
    CHECK(zalo_connection(shop)["working"] == true);

    // The reply that waited goes out with the new token; the pair is stored sealed.
    REQUIRE(eventually([&] {
        for (const auto& sent : fake.accepted("/v3.0/oa/message/cs")) {
            if (sent.json_body()["recipient"]["user_id"] == "z-mai") {
                return sent.header("access_token") == fake.zalo_access_token();
            }
        }
        return false;
    }));
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM channel_tokens WHERE account_id = 'oa-1' AND (access_token LIKE "
                    "'%zalo-access%' OR refresh_token LIKE '%zalo-refresh%')") == 0);
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM oauth_requests") == 0);
    bool audited = false;
    const json audit = shop.admin_get("/api/v1/audit");
    for (const auto& entry : audit["items"]) {
        audited = audited || (entry["action"] == "connection.zalo" && entry["target"] == "oa-1" &&
                              entry["detail"]["outcome"] == "connected" &&
                              entry["actor"].get<std::string>().rfind("admin:", 0) == 0);
    }
    CHECK(audited);
}

TEST_CASE("an OA configured without tokens waits, named as not connected, until it is connected from the console",
          "[integration][connect]") {
    FakePlatforms fake;
    Shop shop(live_on(fake, [](pheu::bot::Config& config) {
        config.public_base_url = "https://shop.example";
        config.zalo_accounts[0].access_token.clear();
        config.zalo_accounts[0].refresh_token.clear();
    }));
    const json connection = zalo_connection(shop);
    CHECK(connection["working"] == false);
    CHECK(connection["reason"].get<std::string>().find("not connected") != std::string::npos);
    const auto granted = authorize(shop);
    fake.grant_zalo_code("first-code", granted.at("code_challenge"));
    CHECK(callback(shop, "code=first-code&oa_id=oa-1&state=" + granted.at("state")) ==
          "/admin#/settings/zalo-connected");
    CHECK(zalo_connection(shop)["working"] == true);
    shop.send_zalo(zalo_text_body("z-an", "chào shop", "an-1", shop.clock.now()));
    REQUIRE(eventually([&] { return !fake.accepted("/v3.0/oa/message/cs").empty(); }));

    // An OA the configuration does not hold cannot be connected.
    CHECK(shop.admin_send("POST", "/api/v1/connections/zalo/oa-9/authorize", json::object()).first == 404);
}

TEST_CASE("connecting asks for public_base_url when it is not set", "[integration][connect]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    const auto [status, answer] = shop.admin_send("POST", "/api/v1/connections/zalo/oa-1/authorize", json::object());
    CHECK(status == 409);
    CHECK(answer["error"]["code"] == "public_base_url_missing");
}

TEST_CASE("a Facebook page is connected with its page access token once the Graph API says it is that page's",
          "[integration][connect]") {
    FakePlatforms fake;
    Shop shop(live_on(fake, [](pheu::bot::Config& config) { config.master_key = k_master_key; }));
    // Meta expired the token (the admin changed their password): the page stops, the reply waits.
    fake.set_page_token("page-token-2");
    shop.send_messenger(messenger_text_body("psid-vy", "shop ơi ship Đà Nẵng mấy ngày", "vy-1", shop.clock.now()));
    const auto page_connection = [&] {
        const json connections = shop.admin_get("/api/v1/connections");
        for (const auto& item : connections["items"]) {
            if (item["channel"] == "messenger") {
                return item;
            }
        }
        return json();
    };
    REQUIRE(eventually([&] { return page_connection()["working"] == false; }));

    const std::string path = "/api/v1/connections/messenger/page-1";
    const auto [wrong_status, wrong] = shop.admin_send("PUT", path, {{"page_access_token", "page-token-typo"}});
    CHECK(wrong_status == 400);
    CHECK(wrong["error"]["code"] == "token_refused");
    CHECK(wrong["error"]["message"].get<std::string>().find("Invalid OAuth access token") != std::string::npos);
    const auto [other_status, other] =
        shop.admin_send("PUT", path, {{"page_access_token", FakePlatforms::k_other_page_token}});
    CHECK(other_status == 400);
    CHECK(other["error"]["code"] == "token_for_other_page");
    CHECK(other["error"]["message"].get<std::string>().find("Shop Khác") != std::string::npos);
    CHECK(shop.admin_send("PUT", path, {{"page_access_token", " "}}).first == 400);
    CHECK(shop.admin_send("PUT", "/api/v1/connections/messenger/page-7", {{"page_access_token", "x"}}).first == 404);
    CHECK(page_connection()["working"] == false);

    const auto [status, connected] = shop.admin_send("PUT", path, {{"page_access_token", "page-token-2"}});
    CHECK(status == 200);
    CHECK(connected["working"] == true);
    CHECK(page_connection()["working"] == true);
    REQUIRE(eventually([&] {
        for (const auto& sent : fake.accepted("/v21.0/me/messages")) {
            if (sent.json_body()["recipient"]["id"] == "psid-vy") {
                return sent.query.at("access_token") == "page-token-2";
            }
        }
        return false;
    }));
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM channel_tokens WHERE account_id = 'page-1' AND access_token LIKE "
                    "'%page-token%'") == 0);
    const json audit = shop.admin_get("/api/v1/audit");
    CHECK(audit.dump().find("page-token-2") == std::string::npos);
}

TEST_CASE("an OA connected again from one instance's console works again on every instance on the database",
          "[integration][connect]") {
    if (server_backend() != pheu::store::sql::Backend::postgresql) {
        return; // one pheu serves an SQLite file
    }
    FakePlatforms fake;
    const auto customise = [](pheu::bot::Config& config) {
        config.public_base_url = "https://shop.example";
        config.master_key = k_master_key;
    };
    Shop first(live_on(fake, customise));
    Shop second(live_on(fake, [&](pheu::bot::Config& config) {
        customise(config);
        config.database = first.server.database();
    }));
    // Zalo stops honouring the shop's tokens: each instance stops the OA when its own sender
    // is refused (a stopped instance claims nothing for the OA, so the other one meets it).
    fake.set_zalo_tokens("zalo-access-elsewhere", "zalo-refresh-elsewhere");
    int chats = 0;
    const auto both_stopped = [&] {
        return zalo_connection(first)["working"] == false && zalo_connection(second)["working"] == false;
    };
    for (; chats < 20 && !both_stopped(); ++chats) {
        first.send_zalo(zalo_text_body("z-chat-" + std::to_string(chats), "shop ơi còn váy maxi không",
                                       "chat-" + std::to_string(chats), first.clock.now()));
        eventually(both_stopped);
    }
    REQUIRE(both_stopped());

    const auto granted = authorize(first);
    fake.grant_zalo_code("code-granted", granted.at("code_challenge"));
    CHECK(callback(first, "code=code-granted&oa_id=oa-1&state=" + granted.at("state")) ==
          "/admin#/settings/zalo-connected");
    CHECK(zalo_connection(first)["working"] == true);
    // The second instance finds the new pair in the database within seconds, without a restart.
    bool resumed = false;
    for (int attempt = 0; attempt < 3 && !resumed; ++attempt) {
        resumed = eventually([&] { return zalo_connection(second)["working"] == true; });
    }
    CHECK(resumed);
    // Every reply that waited goes out with the new token, whichever instance sends it.
    REQUIRE(eventually([&] {
        std::set<std::string> answered;
        for (const auto& sent : fake.accepted("/v3.0/oa/message/cs")) {
            if (sent.header("access_token") == fake.zalo_access_token()) {
                answered.insert(sent.json_body()["recipient"]["user_id"].get<std::string>());
            }
        }
        return answered.size() == static_cast<std::size_t>(chats);
    }));
}

TEST_CASE("a page connected again from one instance's console works again on every instance on the database",
          "[integration][connect]") {
    if (server_backend() != pheu::store::sql::Backend::postgresql) {
        return; // one pheu serves an SQLite file
    }
    FakePlatforms fake;
    const auto customise = [](pheu::bot::Config& config) { config.master_key = k_master_key; };
    Shop first(live_on(fake, customise));
    Shop second(live_on(fake, [&](pheu::bot::Config& config) {
        customise(config);
        config.database = first.server.database();
    }));
    const auto page_working = [](Shop& shop) {
        const json connections = shop.admin_get("/api/v1/connections");
        for (const auto& item : connections["items"]) {
            if (item["channel"] == "messenger") {
                return item["working"] == true;
            }
        }
        return true;
    };
    // Meta expired the token: each instance stops the page when its own sender is refused.
    fake.set_page_token("page-token-2");
    int chats = 0;
    const auto both_stopped = [&] { return !page_working(first) && !page_working(second); };
    for (; chats < 20 && !both_stopped(); ++chats) {
        first.send_messenger(messenger_text_body("psid-" + std::to_string(chats), "shop ơi ship Đà Nẵng mấy ngày",
                                                 "m-" + std::to_string(chats), first.clock.now()));
        eventually(both_stopped);
    }
    REQUIRE(both_stopped());

    const auto [status, connected] =
        first.admin_send("PUT", "/api/v1/connections/messenger/page-1", {{"page_access_token", "page-token-2"}});
    CHECK(status == 200);
    bool resumed = false;
    for (int attempt = 0; attempt < 3 && !resumed; ++attempt) {
        resumed = eventually([&] { return page_working(second); });
    }
    CHECK(resumed);
    REQUIRE(eventually([&] {
        std::set<std::string> answered;
        for (const auto& sent : fake.accepted("/v21.0/me/messages")) {
            if (sent.query.at("access_token") == "page-token-2") {
                answered.insert(sent.json_body()["recipient"]["id"].get<std::string>());
            }
        }
        return answered.size() == static_cast<std::size_t>(chats);
    }));
}
