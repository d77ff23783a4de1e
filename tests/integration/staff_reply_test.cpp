// A person at the shop answers a shopper from the console (POST /api/v1/customers/{id}/reply)
// through the real server and the fake Zalo: the message goes on the open channel, pheu keeps
// out of the conversation for the handoff time, and a shopper no platform reaches is refused.
#include "tests/support/fake_platforms.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace pheu::testing;
using nlohmann::json;

TEST_CASE("staff answer a shopper from the console, and pheu keeps out of the conversation for the handoff time",
          "[integration][staff_reply]") {
    FakePlatforms fake;
    Shop shop(live_on(fake));
    advance_to_local_hour(shop.clock, 10);
    shop.send_zalo(zalo_text_body("z-lan", "chào shop", "lan-1", shop.clock.now()));
    const std::string lan = shop.customer_by("zalo_user_id=z-lan")["id"];
    const std::string answer = "Dạ chị Lan ơi, mẫu đầm hoa nhí còn size M ạ, shop giữ cho chị đến tối nhé!";

    const auto [status, sent] = shop.admin_send("POST", "/api/v1/customers/" + lan + "/reply", {{"text", answer}});
    INFO(sent.dump());
    REQUIRE(status == 201);
    CHECK(sent["channel"] == "zalo");
    CHECK(sent["status"] == "queued");
    REQUIRE(eventually([&] {
        for (const auto& request : fake.accepted("/v3.0/oa/message/cs")) {
            const json body = request.json_body();
            if (body["recipient"]["user_id"] == "z-lan" && body["message"]["text"] == answer) {
                return true;
            }
        }
        return false;
    }));
    const auto replies = with_trigger(shop.messages_of(lan), "staff_reply");
    REQUIRE(replies.size() == 1);
    CHECK(replies[0]["text"] == answer);

    // Her next question within the hour is the staff member's to answer, not pheu's.
    shop.send_zalo(zalo_text_body("z-lan", "cho mình xin địa chỉ shop", "lan-2", shop.clock.now()));
    const auto info = with_trigger(shop.messages_of(lan), "keyword:shop_info");
    REQUIRE(info.size() == 1);
    CHECK(info[0]["status"] == "skipped");
    CHECK(info[0]["reason"].get<std::string>().rfind("human_handoff", 0) == 0);

    // Bad requests are named; a shopper no platform reaches now is refused, not queued.
    CHECK(shop.admin_send("POST", "/api/v1/customers/" + lan + "/reply", {{"text", "   "}}).second["error"]["path"] ==
          "/text");
    CHECK(shop.admin_send("POST", "/api/v1/customers/" + lan + "/reply", {{"text", std::string(2001, 'a')}}).first ==
          400);
    CHECK(shop.admin_send("POST", "/api/v1/customers/999999/reply", {{"text", "chào"}}).first == 404);
    shop.send_events({shop.purchase("counter-1", {{"phone", "0912345678"}}, 0)});
    const std::string walk_in = shop.customer_by("phone=0912345678")["id"];
    const auto [refused_status, refused] =
        shop.admin_send("POST", "/api/v1/customers/" + walk_in + "/reply", {{"text", "Cảm ơn chị đã ghé shop!"}});
    CHECK(refused_status == 409);
    CHECK(refused["error"]["code"] == "no_open_channel");
    shop.clock.advance_days(8); // past Zalo's 7 days
    CHECK(shop.admin_send("POST", "/api/v1/customers/" + lan + "/reply", {{"text", "Chị ơi?"}}).first == 409);
}
