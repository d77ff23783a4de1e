// The built-in playbook end to end through the real server: webhooks and events in over
// HTTP, the messages pheu decided read back through GET /api/v1/customers/{id}/messages.
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <regex>
#include <set>
#include <thread>

using namespace pheu::testing;
using nlohmann::json;

namespace {

void load_catalog(Shop& shop) {
    const auto [status, reply] = shop.admin_send("POST", "/api/v1/products",
                                                 {{"products",
                                                   {{{"sku", "AO-1"},
                                                     {"name", "Áo thun basic"},
                                                     {"category", "ao"},
                                                     {"price", 199000},
                                                     {"url", "https://shop.vn/ao-1"}},
                                                    {{"sku", "QUAN-1"},
                                                     {"name", "Quần jean ống suông"},
                                                     {"category", "quan"},
                                                     {"price", 459000},
                                                     {"url", "https://shop.vn/quan-1"}},
                                                    {{"sku", "NON-1"},
                                                     {"name", "Nón lưỡi trai"},
                                                     {"category", "phu_kien"},
                                                     {"price", 99000},
                                                     {"in_stock", false}}}}});
    REQUIRE(status == 200);
    REQUIRE(reply["upserted"] == 3);
}

} // namespace

TEST_CASE("the built-in playbook runs a shopper through the funnel", "[integration][playbook]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    load_catalog(shop);
    // Another shopper's order teaches which products sell together.
    shop.send_events({shop.purchase("other-1", {{"external_id", "pos-77"}}, 3, 757000,
                                    {{{"sku", "AO-1"}, {"price", 199000}, {"quantity", 1}},
                                     {{"sku", "QUAN-1"}, {"price", 459000}, {"quantity", 1}},
                                     {{"sku", "NON-1"}, {"price", 99000}, {"quantity", 1}}})});

    // A follow gets a welcome carrying a first-order voucher.
    shop.send_zalo(follow_body("zalo-e2e", shop.clock.now()));
    const std::string id = shop.customer_by("zalo_user_id=zalo-e2e")["id"];
    json messages = shop.messages_of(id);
    const auto welcome = with_trigger(messages, "event:follow");
    REQUIRE(welcome.size() == 1);
    CHECK(welcome[0]["template"] == "welcome_follow");
    CHECK(welcome[0]["status"] == "sandboxed");
    CHECK(welcome[0]["channel"] == "zalo");
    CHECK(welcome[0]["reason"].is_null());
    CHECK(welcome[0]["created_at"].is_string());
    const auto welcome_codes = codes_in(welcome[0]["text"]);
    REQUIRE(welcome_codes.size() == 1);
    const std::string code = *welcome_codes.begin();

    // Asking for a discount without diacritics gets the same code again, not a second one.
    shop.send_zalo(zalo_text_body("zalo-e2e", "co khuyen mai khong", "m-1", shop.clock.now()));
    messages = shop.messages_of(id);
    const auto voucher_replies = with_trigger(messages, "keyword:voucher");
    REQUIRE(voucher_replies.size() == 1);
    CHECK(voucher_replies[0]["status"] == "sandboxed");
    CHECK(codes_in(voucher_replies[0]["text"]) == std::set<std::string>{code});
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM voucher_codes WHERE customer_id = " + id) == 1);

    // A purchase with that code redeems it, makes a new customer, and brings a cross-sell tip
    // naming a real product bought together with theirs (never the out-of-stock one).
    json purchase = shop.purchase("e2e-1", {{"zalo_user_id", "zalo-e2e"}}, 0, 199000);
    purchase["properties"]["voucher_code"] = code;
    shop.send_events({purchase});
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM voucher_codes WHERE redeemed_at IS NOT NULL AND order_id = 'order-e2e-1' "
                    "AND code = '" +
                        code + "'") == 1);
    CHECK(shop.customer_by("zalo_user_id=zalo-e2e")["stage"] == "new_customer");
    messages = shop.messages_of(id);
    const auto tips = with_trigger(messages, "event:purchase");
    REQUIRE(tips.size() == 1);
    CHECK(tips[0]["template"] == "cross_sell_tip");
    CHECK(tips[0]["status"] == "sandboxed");
    CHECK(tips[0]["text"].get<std::string>().find("Quần jean ống suông") != std::string::npos);

    // "Đúng" (yes) is no opt-out. An unmarked "dung" may be "dừng" or "đúng": pheu asks, and
    // opts out only once the shopper confirms ("dung" again is a yes to its question).
    shop.send_zalo(zalo_text_body("zalo-e2e", "Đúng", "m-yes", shop.clock.now()));
    CHECK(shop.customer_by("zalo_user_id=zalo-e2e")["opted_out"] == false);
    shop.send_zalo(zalo_text_body("zalo-e2e", "dung", "m-2", shop.clock.now()));
    CHECK(shop.customer_by("zalo_user_id=zalo-e2e")["opted_out"] == false);
    const auto question = with_trigger(shop.messages_of(id), "keyword:stop_unclear");
    REQUIRE(question.size() == 1);
    CHECK(question[0]["text"].get<std::string>().find("Trả lời DỪNG để xác nhận") != std::string::npos);
    shop.send_zalo(zalo_text_body("zalo-e2e", "dung", "m-2b", shop.clock.now()));
    CHECK(shop.customer_by("zalo_user_id=zalo-e2e")["opted_out"] == true);
    shop.send_zalo(zalo_text_body("zalo-e2e", "Mã giảm giá?", "m-3", shop.clock.now()));
    messages = shop.messages_of(id);
    const auto confirmations = with_trigger(messages, "keyword:stop");
    REQUIRE(confirmations.size() == 1);
    CHECK(confirmations[0]["template"] == "opt_out_confirmation");
    CHECK(confirmations[0]["status"] == "sandboxed");
    const auto after_stop = with_trigger(messages, "keyword:voucher");
    REQUIRE(after_stop.size() == 2);
    CHECK(after_stop[1]["status"] == "skipped");
    CHECK(after_stop[1]["reason"] == "opted_out");
    CHECK(after_stop[1]["text"].is_null());
    // Oldest first.
    for (std::size_t i = 1; i < messages.size(); ++i) {
        CHECK(std::stoll(messages[i - 1]["id"].get<std::string>()) < std::stoll(messages[i]["id"].get<std::string>()));
    }

    // A purchase 92 days old makes a customer dormant since two days ago: they get the win-back.
    shop.send_events({shop.purchase("old-1", {{"zalo_user_id", "zalo-sleepy"}}, 92)});
    const json sleepy = shop.customer_by("zalo_user_id=zalo-sleepy");
    CHECK(sleepy["stage"] == "dormant");
    const auto winback = with_trigger(shop.messages_of(sleepy["id"]), "stage_entered:dormant");
    REQUIRE(winback.size() == 1);
    CHECK(winback[0]["template"] == "winback");
    // Silent on Zalo for months, outside its 7-day window, and no Zalo template mapped: the
    // sandbox records what live would do.
    CHECK(winback[0]["status"] == "skipped");
    CHECK(winback[0]["reason"].get<std::string>().rfind("outside_window", 0) == 0);
    CHECK(codes_in(winback[0]["text"]).size() == 1);
    // The old purchase itself gets no conversational reply: its reply window is long closed.
    CHECK(with_trigger(shop.messages_of(sleepy["id"]), "event:purchase").empty());
}

TEST_CASE("promotional messages wait out quiet hours and go in the morning", "[integration][playbook]") {
    Shop shop;
    // Dormant customers are outside Zalo's 7-day window: the win-back goes as the shop's template.
    map_winback_zalo_template(shop);
    advance_to_local_hour(shop.clock, 23);
    shop.send_events({shop.purchase("late-1", {{"zalo_user_id", "zalo-night"}}, 92)});
    const std::string id = shop.customer_by("zalo_user_id=zalo-night")["id"];
    auto winback = with_trigger(shop.messages_of(id), "stage_entered:dormant");
    REQUIRE(winback.size() == 1);
    CHECK(winback[0]["status"] == "queued");
    CHECK(winback[0]["reason"] == "quiet_hours");

    // A follow at night is answered at once: it is a reply to the shopper's own action.
    shop.send_zalo(follow_body("zalo-owl", shop.clock.now()));
    const auto welcome =
        with_trigger(shop.messages_of(shop.customer_by("zalo_user_id=zalo-owl")["id"]), "event:follow");
    REQUIRE(welcome.size() == 1);
    CHECK(welcome[0]["status"] == "sandboxed");

    advance_to_local_hour(shop.clock, 7);
    CHECK(eventually(
        [&] { return with_trigger(shop.messages_of(id), "stage_entered:dormant")[0]["status"] == "sandboxed"; }));
}

TEST_CASE("when shop staff answer a customer themselves, pheu stays silent", "[integration][playbook]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    shop.send_zalo(follow_body("zalo-vip", shop.clock.now()));
    const std::string id = shop.customer_by("zalo_user_id=zalo-vip")["id"];
    // The OA chat tool's echo names the staff member who wrote.
    shop.send_zalo({{"app_id", "app-1"},
                    {"event_name", "oa_send_text"},
                    {"sender", {{"id", "oa-1"}, {"admin_id", "staff-9"}}},
                    {"recipient", {{"id", "zalo-vip"}}},
                    {"message", {{"text", "Dạ chị cần size nào ạ?"}, {"msg_id", "staff-msg-1"}}},
                    {"timestamp", std::to_string(shop.clock.now())}});
    shop.send_zalo(zalo_text_body("zalo-vip", "cho mình xin địa chỉ shop", "m-vip-1", shop.clock.now()));
    const auto replies = with_trigger(shop.messages_of(id), "keyword:shop_info");
    REQUIRE(replies.size() == 1);
    CHECK(replies[0]["status"] == "skipped");
    CHECK(replies[0]["reason"].get<std::string>().rfind("human_handoff", 0) == 0);

    // After the handoff window (60 minutes by default) pheu answers again.
    shop.clock.advance_days(2.0 / 24);
    shop.send_zalo(zalo_text_body("zalo-vip", "địa chỉ ở đâu vậy", "m-vip-2", shop.clock.now()));
    const auto later = with_trigger(shop.messages_of(id), "keyword:shop_info");
    REQUIRE(later.size() == 2);
    CHECK(later[1]["status"] == "sandboxed");
}

TEST_CASE("the non-buyer cadence steps on with time and stops at a purchase", "[integration][playbook]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 9);
    load_catalog(shop);
    shop.send_zalo(follow_body("zalo-lead", shop.clock.now()));
    const std::string id = shop.customer_by("zalo_user_id=zalo-lead")["id"];
    // The shopper keeps talking, so the Zalo conversation stays open.
    shop.clock.advance_days(1.01);
    REQUIRE(eventually([&] { return with_trigger(shop.messages_of(id), "journey:lead_cadence/day_1").size() == 1; }));
    const auto day_1 = with_trigger(shop.messages_of(id), "journey:lead_cadence/day_1")[0];
    CHECK(day_1["template"] == "lead_day_1");
    CHECK(day_1["status"] == "sandboxed");

    shop.send_events({shop.purchase("lead-buy", {{"zalo_user_id", "zalo-lead"}}, 0)});
    shop.clock.advance_days(10);
    // The scheduler has had its turns: nothing more of the cadence, the journey is over.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(with_trigger(shop.messages_of(id), "journey:lead_cadence/day_10").empty());
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM journeys WHERE customer_id = " + id +
                                                " AND journey = 'lead_cadence' AND state = 'ended'") == 1);
}

TEST_CASE("templates are listed, edited with validation, and previewed for a customer", "[integration][templates]") {
    Shop shop;
    const json list = shop.admin_get("/api/v1/templates");
    std::set<std::string> ids;
    for (const auto& item : list["items"]) {
        ids.insert(item["id"]);
        CHECK(item["version"] == 1);
        CHECK(item["body"].is_string());
        CHECK(item["updated_at"].is_string());
    }
    for (const char* expected : {"welcome_follow", "first_order_voucher", "cart_reminder", "winback", "fallback"}) {
        CHECK(ids.count(expected) == 1);
    }
    shop.admin_get("/api/v1/templates/no-such-template", 404);

    auto [bad_status, bad] =
        shop.admin_send("PUT", "/api/v1/templates/welcome_follow", {{"body", "Chào\n{{#voucher}}mã {{code}}"}});
    CHECK(bad_status == 400);
    CHECK(bad["error"]["code"] == "invalid_template");
    CHECK(bad["error"]["line"] == 2);
    CHECK(bad["error"]["column"].is_number());
    CHECK(shop.admin_send("PUT", "/api/v1/templates/nope", {{"body", "x"}}).first == 404);

    auto [status, saved] =
        shop.admin_send("PUT", "/api/v1/templates/shop_info", {{"body", "{{shop.name}} chào {{customer.name}}!"}});
    REQUIRE(status == 200);
    CHECK(saved["version"] == 2);
    CHECK(shop.admin_get("/api/v1/templates/shop_info")["body"] == "{{shop.name}} chào {{customer.name}}!");

    shop.send_zalo(follow_body("zalo-preview", shop.clock.now()));
    const std::string id = shop.customer_by("zalo_user_id=zalo-preview")["id"];
    auto [preview_status, preview] =
        shop.admin_send("POST", "/api/v1/templates/shop_info/preview", {{"customer_id", id}});
    REQUIRE(preview_status == 200);
    CHECK(preview["text"] == "Shop chào bạn!");
    auto [draft_status, draft] =
        shop.admin_send("POST", "/api/v1/templates/shop_info/preview",
                        {{"customer_id", id}, {"body", "Mã của {{customer.name}}: {{voucher.code}}"}});
    REQUIRE(draft_status == 200);
    // The customer holds the code their welcome carried; a preview shows it, never issues one.
    CHECK(codes_in(draft["text"]).size() == 1);
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM voucher_codes WHERE customer_id = " + id) == 1);
    CHECK(shop.admin_send("POST", "/api/v1/templates/shop_info/preview", {{"customer_id", "999999"}}).first == 404);
}

namespace {

json messenger_body(const std::string& psid, const json& item_content, std::int64_t at_ms) {
    json item = {{"sender", {{"id", psid}}}, {"recipient", {{"id", "page-1"}}}, {"timestamp", at_ms}};
    item.update(item_content);
    return {{"object", "page"}, {"entry", {{{"id", "page-1"}, {"time", at_ms}, {"messaging", {item}}}}}};
}

void send_messenger(Shop& shop, const json& body) {
    const std::string text = body.dump();
    auto result = shop.server.client().Post("/webhooks/messenger",
                                            {{"X-Hub-Signature-256", messenger_signature_for(text, "page-secret-1")}},
                                            text, "application/json");
    REQUIRE(result);
    REQUIRE(result->status == 200);
    REQUIRE(shop.server.wait_until_processed());
}

} // namespace

TEST_CASE("Messenger shoppers are welcomed on their first message and answered on Messenger",
          "[integration][playbook]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 11);
    send_messenger(shop,
                   messenger_body("psid-1", {{"message", {{"mid", "mid-1"}, {"text", "hi shop"}}}}, shop.clock.now()));
    const std::string id = shop.customer_by("messenger_psid=psid-1")["id"];
    json messages = shop.messages_of(id);
    const auto welcome = with_trigger(messages, "first_contact");
    REQUIRE(welcome.size() == 1);
    CHECK(welcome[0]["template"] == "welcome_chat");
    CHECK(welcome[0]["channel"] == "messenger");
    CHECK(welcome[0]["status"] == "sandboxed");
    // "hi shop" only greets: the welcome (with its menu) is the one answer, no fallback or
    // greeting after it…
    CHECK(with_trigger(messages, "keyword:fallback").empty());
    CHECK(with_trigger(messages, "keyword:greeting").empty());
    CHECK(messages.size() == 1);

    // …and a tapped button's postback is understood by its payload.
    send_messenger(shop,
                   messenger_body("psid-1",
                                  {{"postback", {{"mid", "mid-2"}, {"title", "Xem ưu đãi"}, {"payload", "VOUCHER"}}}},
                                  shop.clock.now()));
    messages = shop.messages_of(id);
    const auto voucher = with_trigger(messages, "keyword:voucher");
    REQUIRE(voucher.size() == 1);
    CHECK(voucher[0]["channel"] == "messenger");
    CHECK(codes_in(voucher[0]["text"]) == codes_in(welcome[0]["text"]));
    // A message pheu does not understand gets the fallback; a second one within 12 hours not.
    send_messenger(shop, messenger_body("psid-1", {{"message", {{"mid", "mid-3"}, {"text", "vải có bị xù không"}}}},
                                        shop.clock.now()));
    send_messenger(shop, messenger_body("psid-1", {{"message", {{"mid", "mid-4"}, {"text", "chất liệu gì vậy"}}}},
                                        shop.clock.now()));
    CHECK(with_trigger(shop.messages_of(id), "keyword:fallback").size() == 1);
    CHECK(with_trigger(shop.messages_of(id), "first_contact").size() == 1);
}

TEST_CASE("Messenger's Get started postback is welcomed once", "[integration][playbook]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 11);
    send_messenger(shop,
                   messenger_body("psid-2",
                                  {{"postback", {{"mid", "gs-1"}, {"title", "Bắt đầu"}, {"payload", "GET_STARTED"}}}},
                                  shop.clock.now()));
    const json messages = shop.messages_of(shop.customer_by("messenger_psid=psid-2")["id"]);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["trigger"] == "keyword:get_started");
    CHECK(messages[0]["template"] == "welcome_chat");
    CHECK(codes_in(messages[0]["text"]).size() == 1);
}

TEST_CASE("an abandoned cart is reminded once, and not after the purchase", "[integration][playbook]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 9);
    shop.send_zalo(follow_body("zalo-cart", shop.clock.now()));
    const std::string id = shop.customer_by("zalo_user_id=zalo-cart")["id"];
    const json cart = {
        {"event_id", "cart-1"},
        {"type", "cart_updated"},
        {"occurred_at", days_ago(shop.clock, 0)},
        {"customer", {{"zalo_user_id", "zalo-cart"}}},
        {"properties",
         {{"cart_id", "c-1"},
          {"cart_url", "https://shop.vn/cart/c-1"},
          {"items", {{{"sku", "AO-1"}, {"name", "Áo thun basic"}, {"price", 199000}, {"quantity", 2}}}}}}};
    shop.send_events({cart});
    shop.clock.advance_days(5.0 / 24);
    REQUIRE(eventually([&] { return with_trigger(shop.messages_of(id), "journey:cart_reminder/hour_4").size() == 1; }));
    const auto reminder = with_trigger(shop.messages_of(id), "journey:cart_reminder/hour_4")[0];
    CHECK(reminder["template"] == "cart_reminder");
    CHECK(reminder["text"].get<std::string>().find("Áo thun basic x2") != std::string::npos);
    CHECK(reminder["text"].get<std::string>().find("https://shop.vn/cart/c-1") != std::string::npos);

    // A new cart, then a purchase before the reminder is due: no reminder for it.
    json second = cart;
    second["event_id"] = "cart-2";
    second["occurred_at"] = days_ago(shop.clock, 0);
    shop.send_events({second});
    shop.send_events({shop.purchase("cart-buy", {{"zalo_user_id", "zalo-cart"}}, 0)});
    shop.clock.advance_days(5.0 / 24);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(with_trigger(shop.messages_of(id), "journey:cart_reminder/hour_4").size() == 1);
}

TEST_CASE("a birthday shared through Zalo brings a gift on the day, in the morning", "[integration][playbook]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 15);
    shop.send_zalo(follow_body("zalo-bday", shop.clock.now()));
    const std::string id = shop.customer_by("zalo_user_id=zalo-bday")["id"];
    // Tomorrow, shop time (the clock stands at 15:00 in Ho Chi Minh City).
    const std::int64_t tomorrow = shop.clock.now() + k_day;
    const std::time_t seconds = static_cast<std::time_t>((tomorrow + 7 * 3600 * 1000LL) / 1000);
    std::tm local{};
    gmtime_r(&seconds, &local);
    char birthday[32];
    std::snprintf(birthday, sizeof birthday, "%02d/%02d/1990", local.tm_mday, local.tm_mon + 1);
    shop.send_zalo({{"app_id", "app-1"},
                    {"event_name", "user_submit_info"},
                    {"sender", {{"id", "zalo-bday"}}},
                    {"recipient", {{"id", "oa-1"}}},
                    {"info", {{"name", "Mai"}, {"phone", "0912345678"}, {"user_dob", birthday}}},
                    {"timestamp", std::to_string(shop.clock.now())}});
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM journeys WHERE journey = 'birthday' AND state = 'active'") == 1);
    advance_to_local_hour(shop.clock, 10); // tomorrow 10:00
    REQUIRE(eventually([&] { return with_trigger(shop.messages_of(id), "journey:birthday/day_0").size() == 1; }));
    const auto gift = with_trigger(shop.messages_of(id), "journey:birthday/day_0")[0];
    CHECK(gift["template"] == "birthday_gift");
    CHECK(gift["text"].get<std::string>().find("Mai") != std::string::npos);
    CHECK(codes_in(gift["text"]).size() == 1);
    // Next year's is already scheduled.
    CHECK(query_int(shop.server.database(),
                    "SELECT count(*) FROM journeys WHERE journey = 'birthday' AND state = 'active' "
                    "AND next_due_at > " +
                        std::to_string(shop.clock.now() + 300 * k_day)) == 1);
}

TEST_CASE("a message decided once is not decided again, and takes no second voucher for it",
          "[integration][playbook]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    // A one-day code, of which a customer may hold up to five: once the first has expired,
    // only the rule's "once" keeps a second game from taking another.
    REQUIRE(shop.admin_send("POST", "/api/v1/vouchers",
                            {{"id", "player_gift"},
                             {"description", "Giảm 30.000đ cho người chơi"},
                             {"code_pattern", "VIP-****"},
                             {"validity_days", 1},
                             {"per_customer_limit", 5}})
                .first == 201);
    REQUIRE(shop.admin_send("PUT", "/api/v1/playbook/rules/welcome_game", {{"campaign", "player_gift"}}).first == 200);
    const auto game = [&](const std::string& id) {
        return json{{"event_id", id},
                    {"type", "game_played"},
                    {"occurred_at", days_ago(shop.clock, 0)},
                    {"customer", {{"zalo_user_id", "zalo-player"}}},
                    {"properties", {{"game_id", "vong-quay"}, {"result", "win"}}}};
    };
    // A follower (reachable on Zalo) who has not bought yet.
    shop.send_zalo(follow_body("zalo-player", shop.clock.now()));
    shop.send_events({game("g-1")});
    shop.clock.advance_days(3);
    shop.send_zalo(zalo_text_body("zalo-player", "chào shop", "m-1", shop.clock.now()));
    shop.send_events({game("g-2")});
    const std::string id = shop.customer_by("zalo_user_id=zalo-player")["id"];
    const auto answers = with_trigger(shop.messages_of(id), "event:game_played");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]["status"] == "sandboxed");
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM voucher_codes WHERE campaign_id = 'player_gift' "
                                            "AND customer_id = " +
                                                id) == 1);
}

TEST_CASE("a voucher campaign edited and paused through the API changes what the next shopper gets",
          "[integration][playbook]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    REQUIRE(shop.admin_send("POST", "/api/v1/vouchers",
                            {{"id", "tet"}, {"description", "Giảm 15% dịp Tết"}, {"code_pattern", "TET-****"}})
                .first == 201);
    REQUIRE(shop.admin_send("PUT", "/api/v1/playbook/rules/welcome_first_contact_lead", {{"campaign", "tet"}}).first ==
            200);
    const auto [edited_status, edited] =
        shop.admin_send("PUT", "/api/v1/vouchers/tet", {{"description", "Giảm 20% dịp Tết"}, {"validity_days", 3}});
    INFO(edited.dump());
    REQUIRE(edited_status == 200);
    CHECK(edited["validity_days"] == 3);
    CHECK(edited["active"] == true);

    const auto welcome_of = [&](const std::string& user) {
        shop.send_zalo(zalo_text_body(user, "chào shop", user + "-1", shop.clock.now()));
        const auto welcome =
            with_trigger(shop.messages_of(shop.customer_by("zalo_user_id=" + user)["id"]), "first_contact");
        REQUIRE(welcome.size() == 1);
        return welcome[0];
    };
    const json running = welcome_of("z-tet-1");
    CHECK(std::regex_search(running["text"].get<std::string>(), std::regex("TET-[A-Z0-9]{4}")));
    CHECK(running["text"].get<std::string>().find("Giảm 20% dịp Tết") != std::string::npos);

    // Paused, it gives no code, and the welcome still greets the new shopper, without one.
    REQUIRE(shop.admin_send("PUT", "/api/v1/vouchers/tet", {{"active", false}}).first == 200);
    const json paused = welcome_of("z-tet-2");
    CHECK(paused["status"] == "sandboxed");
    CHECK(paused["template"] == "welcome_chat");
    CHECK_FALSE(std::regex_search(paused["text"].get<std::string>(), std::regex("TET-")));
    CHECK(paused["text"].get<std::string>().find("rất vui được trò chuyện") != std::string::npos);

    CHECK(shop.admin_send("PUT", "/api/v1/vouchers/tet", {{"per_customer_limit", 0}}).second["error"]["path"] ==
          "/per_customer_limit");
    CHECK(shop.admin_send("PUT", "/api/v1/vouchers/tet", {{"active", "no"}}).second["error"]["path"] == "/active");
    CHECK(shop.admin_send("PUT", "/api/v1/vouchers/nope", {{"active", true}}).first == 404);
}
