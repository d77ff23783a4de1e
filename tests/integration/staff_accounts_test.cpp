// The console's people, through the real server: the admin token creates the first owner,
// people sign in to cookie sessions, each role reaches only its part of the API, changes
// need the session's CSRF token, the audit log names the person, and sessions end when
// they expire, at sign-out, or when the owner changes the person.
#include "tests/support/exchange_log.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <string>

using namespace pheu::testing;
using nlohmann::json;

namespace {

// A person signed in to the console: their cookie, and the CSRF token their changes carry.
struct Signed {
    std::string cookie;
    std::string csrf_token;
    json user;
};

httplib::Result sign_in(Shop& shop, const std::string& name, const std::string& password) {
    auto result = shop.server.client().Post("/api/v1/session", json{{"name", name}, {"password", password}}.dump(),
                                            "application/json");
    record_exchange("POST", "/api/v1/session", result);
    return result;
}

Signed signed_in(Shop& shop, const std::string& name, const std::string& password) {
    auto result = sign_in(shop, name, password);
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == 200);
    const std::string set_cookie = result->get_header_value("Set-Cookie");
    std::smatch value;
    REQUIRE(std::regex_search(set_cookie, value, std::regex("^pheu_session=([0-9a-f]{64});")));
    const json body = json::parse(result->body);
    return Signed{"pheu_session=" + value[1].str(), body["csrf_token"], body["user"]};
}

// `method` `path` as `person`, with their CSRF token unless `with_csrf` is false.
std::pair<int, json> as(Shop& shop, const Signed& person, const std::string& method, const std::string& path,
                        const json& body = json::object(), bool with_csrf = true) {
    httplib::Headers headers{{"Cookie", person.cookie}};
    if (with_csrf) {
        headers.emplace("X-CSRF-Token", person.csrf_token);
    }
    auto client = shop.server.client();
    auto result = method == "GET"      ? client.Get(path.c_str(), headers)
                  : method == "PUT"    ? client.Put(path.c_str(), headers, body.dump(), "application/json")
                  : method == "DELETE" ? client.Delete(path.c_str(), headers)
                                       : client.Post(path.c_str(), headers, body.dump(), "application/json");
    record_exchange(method, path, result);
    REQUIRE(result);
    INFO(result->body);
    return {result->status, result->body.empty() || result->get_header_value("Content-Type") != "application/json"
                                ? json()
                                : json::parse(result->body)};
}

std::string create_user(Shop& shop, const std::string& name, const std::string& role) {
    const auto [status, user] =
        shop.admin_send("POST", "/api/v1/users", {{"name", name}, {"password", "mật khẩu " + name}, {"role", role}});
    INFO(user.dump());
    REQUIRE(status == 201);
    CHECK(user["role"] == role);
    CHECK(user["active"] == true);
    CHECK_FALSE(user.contains("password"));
    CHECK_FALSE(user.contains("password_hash"));
    return user["id"];
}

} // namespace

TEST_CASE("each role reaches its part of the API, changes need the CSRF token, and the audit names the person",
          "[integration][accounts]") {
    Shop shop;
    create_user(shop, "Chị Hoa", "owner");
    create_user(shop, "Minh", "marketer");
    create_user(shop, "Lan", "staff");
    shop.send_zalo(zalo_text_body("z-thu", "shop ơi còn áo thun trắng không", "thu-1", shop.clock.now()));
    const std::string thu = shop.customer_by("zalo_user_id=z-thu")["id"];

    // The cookie is for the server alone, HTTPS only, never sent by another site's page.
    const auto answer = sign_in(shop, "lan", "mật khẩu Lan"); // the name in any case
    REQUIRE(answer);
    REQUIRE(answer->status == 200);
    const std::string cookie = answer->get_header_value("Set-Cookie");
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find("Secure") != std::string::npos);
    CHECK(cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(cookie.find("Max-Age=43200") != std::string::npos);
    CHECK(answer->body.find("mật khẩu") == std::string::npos);

    const Signed lan = signed_in(shop, "Lan", "mật khẩu Lan");
    CHECK(lan.user["role"] == "staff");
    CHECK(json::parse(answer->body)["permissions"] == json::array({"conversations"}));
    // Staff: customers, conversations, replies; no settings, reports, exports or people.
    CHECK(as(shop, lan, "GET", "/api/v1/customers").first == 200);
    CHECK(as(shop, lan, "GET", "/api/v1/customers/" + thu + "/messages").first == 200);
    CHECK(as(shop, lan, "GET", "/api/v1/messages").first == 200);
    const auto [forbidden_status, forbidden] = as(shop, lan, "GET", "/api/v1/settings");
    CHECK(forbidden_status == 403);
    CHECK(forbidden["error"]["code"] == "forbidden");
    CHECK(as(shop, lan, "GET", "/api/v1/reports/funnel").first == 403);
    CHECK(as(shop, lan, "GET", "/api/v1/customers/export.csv").first == 403);
    CHECK(as(shop, lan, "GET", "/api/v1/customers/" + thu + "/export").first == 403);
    CHECK(as(shop, lan, "GET", "/api/v1/users").first == 403);
    CHECK(as(shop, lan, "PUT", "/api/v1/playbook/rules/welcome_follow_lead", {{"enabled", false}}).first == 403);
    CHECK(as(shop, lan, "DELETE", "/api/v1/customers/" + thu).first == 403);

    // A change without the session's CSRF token is refused, whatever the role.
    const json reply = {{"text", "Dạ còn ạ, áo thun trắng size M và L chị nhé!"}};
    const auto [no_csrf_status, no_csrf] = as(shop, lan, "POST", "/api/v1/customers/" + thu + "/reply", reply, false);
    CHECK(no_csrf_status == 403);
    CHECK(no_csrf["error"]["code"] == "csrf_token_missing");
    Signed forged = lan;
    forged.csrf_token = std::string(64, '0');
    CHECK(as(shop, forged, "POST", "/api/v1/customers/" + thu + "/reply", reply).first == 403);
    CHECK(as(shop, lan, "POST", "/api/v1/customers/" + thu + "/reply", reply).first == 201);

    // Marketer: the playbook, templates, reports; not the settings, exports or people.
    const Signed minh = signed_in(shop, "Minh", "mật khẩu Minh");
    CHECK(as(shop, minh, "GET", "/api/v1/reports/funnel").first == 200);
    CHECK(as(shop, minh, "PUT", "/api/v1/playbook/rules/welcome_follow_lead", {{"cooldown_hours", 2}}).first == 200);
    CHECK(as(shop, minh, "GET", "/api/v1/customers/" + thu).first == 200);
    CHECK(as(shop, minh, "GET", "/api/v1/settings").first == 403);
    CHECK(as(shop, minh, "GET", "/api/v1/segments/1/export.csv").first == 403);
    CHECK(as(shop, minh, "POST", "/api/v1/users", {{"name", "X"}, {"password", "12345678"}, {"role", "owner"}}).first ==
          403);

    // Owner: everything.
    const Signed hoa = signed_in(shop, "Chị Hoa", "mật khẩu Chị Hoa");
    CHECK(as(shop, hoa, "GET", "/api/v1/settings").first == 200);
    CHECK(as(shop, hoa, "GET", "/api/v1/users").second["items"].size() == 3);

    // The audit log names the person, never a password.
    const json audit = shop.admin_get("/api/v1/audit");
    std::map<std::string, std::string> actor_of;
    for (const auto& entry : audit["items"]) {
        actor_of.emplace(entry["action"].get<std::string>() + " " + entry["target"].get<std::string>(), entry["actor"]);
        CHECK(entry.dump().find("mật khẩu") == std::string::npos);
    }
    CHECK(actor_of["customer.reply " + thu] == "user:Lan");
    CHECK(actor_of["playbook.rule.update welcome_follow_lead"] == "user:Minh");
    CHECK(actor_of["session.sign_in Chị Hoa"] == "user:Chị Hoa");
    CHECK(actor_of["user.create Lan"].rfind("admin:", 0) == 0);
}

TEST_CASE("sessions end at sign-out, after 12 hours, and when the owner changes the person",
          "[integration][accounts]") {
    Shop shop;
    const std::string hoa_id = create_user(shop, "Hoa", "owner");
    const std::string lan_id = create_user(shop, "Lan", "staff");

    const Signed lan = signed_in(shop, "Lan", "mật khẩu Lan");
    const auto [me_status, me] = as(shop, lan, "GET", "/api/v1/session");
    CHECK(me_status == 200);
    CHECK(me["user"]["name"] == "Lan");
    CHECK(me["csrf_token"] == lan.csrf_token);
    const auto [out_status, out] = as(shop, lan, "DELETE", "/api/v1/session");
    CHECK(out_status == 204);
    CHECK(as(shop, lan, "GET", "/api/v1/customers").first == 401);
    CHECK(as(shop, lan, "GET", "/api/v1/session").first == 401);

    const Signed again = signed_in(shop, "Lan", "mật khẩu Lan");
    shop.clock.advance_days(11.9 / 24);
    CHECK(as(shop, again, "GET", "/api/v1/customers").first == 200);
    shop.clock.advance_days(0.2 / 24);
    CHECK(as(shop, again, "GET", "/api/v1/customers").first == 401);

    // A new password signs the person out everywhere; the old password stops working.
    const Signed third = signed_in(shop, "Lan", "mật khẩu Lan");
    const Signed hoa = signed_in(shop, "Hoa", "mật khẩu Hoa");
    CHECK(as(shop, hoa, "PUT", "/api/v1/users/" + lan_id, {{"password", "mật khẩu mới"}}).first == 200);
    CHECK(as(shop, third, "GET", "/api/v1/customers").first == 401);
    CHECK(sign_in(shop, "Lan", "mật khẩu Lan")->status == 401);
    const Signed fourth = signed_in(shop, "Lan", "mật khẩu mới");
    // Deactivated: signed out, and cannot sign in.
    const auto [off_status, off] = as(shop, hoa, "PUT", "/api/v1/users/" + lan_id, {{"active", false}});
    CHECK(off_status == 200);
    CHECK(off["active"] == false);
    CHECK(as(shop, fourth, "GET", "/api/v1/customers").first == 401);
    CHECK(sign_in(shop, "Lan", "mật khẩu mới")->status == 401);

    // The shop keeps an active owner.
    const auto [last_status, last] = as(shop, hoa, "PUT", "/api/v1/users/" + hoa_id, {{"role", "staff"}});
    CHECK(last_status == 409);
    CHECK(last["error"]["code"] == "last_owner");
    CHECK(as(shop, hoa, "PUT", "/api/v1/users/" + hoa_id, {{"active", false}}).first == 409);
    CHECK(as(shop, hoa, "PUT", "/api/v1/users/999", {{"active", false}}).first == 404);
}

TEST_CASE("people are created with a clear error for each bad field", "[integration][accounts]") {
    Shop shop;
    create_user(shop, "Lan", "staff");
    const auto taken =
        shop.admin_send("POST", "/api/v1/users", {{"name", "LAN"}, {"password", "12345678"}, {"role", "staff"}});
    CHECK(taken.first == 409);
    CHECK(taken.second["error"]["code"] == "already_exists");
    const auto short_password =
        shop.admin_send("POST", "/api/v1/users", {{"name", "Mai"}, {"password", "1234567"}, {"role", "staff"}});
    CHECK(short_password.first == 400);
    CHECK(short_password.second["error"]["path"] == "/password");
    // Eight letters with diacritics are eight characters, not their 14 bytes.
    CHECK(shop.admin_send("POST", "/api/v1/users", {{"name", "Mai"}, {"password", "đườngđời"}, {"role", "staff"}})
              .first == 201);
    CHECK(shop.admin_send("POST", "/api/v1/users", {{"name", "Tú"}, {"password", "12345678"}, {"role", "boss"}})
              .second["error"]["path"] == "/role");
    CHECK(shop.admin_send("POST", "/api/v1/users", {{"name", "  "}, {"password", "12345678"}, {"role", "staff"}})
              .second["error"]["path"] == "/name");
    CHECK(shop.admin_send("PUT", "/api/v1/users/1", json::object()).first == 400);
    CHECK(sign_in(shop, "Lan", "")->status == 401);
    auto bad_body = shop.server.client().Post("/api/v1/session", "[]", "application/json");
    CHECK(bad_body->status == 400);
}

TEST_CASE("guessing one person's password is refused after five tries, from any address", "[integration][accounts]") {
    // The per-address guard (ten failures) is raised so that the per-name one shows.
    Shop shop([](pheu::bot::Config& config) { config.failed_auth_burst = 1000; });
    create_user(shop, "Lan", "staff");
    create_user(shop, "Minh", "staff");
    for (int i = 0; i < 5; ++i) {
        CHECK(sign_in(shop, "Lan", "đoán thử " + std::to_string(i))->status == 401);
    }
    const auto held = sign_in(shop, "LAN", "mật khẩu Lan");
    CHECK(held->status == 429);
    CHECK(held->has_header("Retry-After"));
    CHECK(json::parse(held->body)["error"]["code"] == "too_many_failed_authentications");
    // Someone else signs in as usual; an unknown name is refused like a wrong password.
    CHECK(sign_in(shop, "Minh", "mật khẩu Minh")->status == 200);
    const auto unknown = sign_in(shop, "Không Có", "mật khẩu");
    CHECK(unknown->status == 401);
    CHECK(json::parse(unknown->body)["error"]["code"] == "invalid_credentials");
}

TEST_CASE("a signed-in person changes their own password, and their other sessions end", "[integration][accounts]") {
    Shop shop;
    create_user(shop, "Lan", "staff");
    const Signed phone = signed_in(shop, "Lan", "mật khẩu Lan");
    const Signed laptop = signed_in(shop, "Lan", "mật khẩu Lan");
    const std::string path = "/api/v1/session/password";
    const auto [wrong_status, wrong] =
        as(shop, laptop, "PUT", path, {{"current_password", "đoán"}, {"new_password", "mật khẩu mới của Lan"}});
    CHECK(wrong_status == 403);
    CHECK(wrong["error"]["code"] == "invalid_credentials");
    CHECK(as(shop, laptop, "PUT", path, {{"current_password", "mật khẩu Lan"}, {"new_password", "ngắn"}})
              .second["error"]["path"] == "/new_password");
    CHECK(as(shop, laptop, "PUT", path,
             {{"current_password", "mật khẩu Lan"}, {"new_password", "mật khẩu mới của Lan"}},
             false)
              .first == 403); // no CSRF token
    CHECK(
        as(shop, laptop, "PUT", path, {{"current_password", "mật khẩu Lan"}, {"new_password", "mật khẩu mới của Lan"}})
            .first == 204);
    CHECK(as(shop, laptop, "GET", "/api/v1/customers").first == 200); // this session goes on
    CHECK(as(shop, phone, "GET", "/api/v1/customers").first == 401);  // the other one ended
    CHECK(sign_in(shop, "Lan", "mật khẩu Lan")->status == 401);
    CHECK(sign_in(shop, "Lan", "mật khẩu mới của Lan")->status == 200);
    // The admin token has no password of its own.
    CHECK(shop.admin_send("PUT", path, {{"current_password", "x"}, {"new_password", "12345678"}})
              .second["error"]["code"] == "not_a_person");
}
