// Conversations through the real server, read as a shopper reads them: what a message means
// (an opt-out only when it is one), one answer per message, product questions answered from
// the catalog, the winback survey's answers, and the name a shop calls its customers by.
#include "store/sql/connection.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace pheu::testing;
using nlohmann::json;

namespace {

// Sends one Zalo chat from `user` and returns the customer's id.
std::string chat(Shop& shop, const std::string& user, const std::string& text) {
    static int sequence = 0;
    shop.send_zalo(zalo_text_body(user, text, "conv-" + std::to_string(++sequence), shop.clock.now()));
    return shop.customer_by("zalo_user_id=" + user)["id"];
}

bool opted_out(Shop& shop, const std::string& user) {
    return shop.customer_by("zalo_user_id=" + user)["opted_out"].get<bool>();
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++count;
    }
    return count;
}

std::string all_texts(const json& messages) {
    std::string texts;
    for (const auto& message : messages) {
        if (message["text"].is_string()) {
            texts += message["text"].get<std::string>() + "\n";
        }
    }
    return texts;
}

// The one answer the customer got from `trigger`'s rule, as text.
std::string the_answer(Shop& shop, const std::string& customer_id, const std::string& trigger) {
    const auto answers = with_trigger(shop.messages_of(customer_id), trigger);
    REQUIRE(answers.size() == 1);
    return answers[0]["text"];
}

// Sets one field of the shop's profile from the console.
void set_shop_profile(Shop& shop, const std::string& field, const std::string& text) {
    const auto [status, reply] = shop.admin_send("PUT", "/api/v1/settings/shop", {{field, text}});
    REQUIRE(status == 200);
}

void load_fashion_catalog(Shop& shop) {
    const auto [status, reply] =
        shop.admin_send("POST", "/api/v1/products",
                        {{"products",
                          {{{"sku", "SM-TRANG"},
                            {"name", "Áo sơ mi trắng tay dài"},
                            {"category", "ao"},
                            {"price", 350000},
                            {"url", "https://shop.vn/so-mi-trang"}},
                           {{"sku", "AO-THUN"}, {"name", "Áo thun trắng basic"}, {"category", "ao"}, {"price", 199000}},
                           {{"sku", "DAM-HOA"},
                            {"name", "Đầm hoa nhí vintage"},
                            {"category", "dam"},
                            {"price", 459000},
                            {"url", "https://shop.vn/dam-hoa"}},
                           {{"sku", "VAY-DEN"},
                            {"name", "Váy đen công sở"},
                            {"category", "vay"},
                            {"price", 420000},
                            {"in_stock", false}}}}});
    REQUIRE(status == 200);
    REQUIRE(reply["upserted"] == 4);
}

} // namespace

TEST_CASE("a shopper who says yes, uses a code or is called Huy is never unsubscribed", "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    int n = 0;
    for (const char* text : {"Đúng", "Dùng", "đúng rồi shop", "Dùng mã này được không", "hủy đơn", "Hủy đơn giúp em",
                             "Dũng", "Mình là Huy", "Không nhận được tin nhắn của shop"}) {
        INFO(text);
        const std::string user = "zalo-yes-" + std::to_string(++n);
        chat(shop, user, "chào shop");
        chat(shop, user, text);
        CHECK_FALSE(opted_out(shop, user));
    }
}

TEST_CASE("clear opt-out phrases opt out wherever they stand, with one confirmation", "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    int n = 0;
    for (const char* text : {"Không nhận tin nữa", "dừng nhận tin", "Shop ơi đừng nhắn nữa nhé", "hủy đăng ký nhận tin",
                             "DỪNG", "stop", "unsubscribe", "ko nhan tin nua"}) {
        INFO(text);
        const std::string user = "zalo-stop-" + std::to_string(++n);
        chat(shop, user, "chào shop");
        const std::string id = chat(shop, user, text);
        CHECK(opted_out(shop, user));
        const auto confirmations = with_trigger(shop.messages_of(id), "keyword:stop");
        REQUIRE(confirmations.size() == 1);
        CHECK(confirmations[0]["template"] == "opt_out_confirmation");
    }
}

TEST_CASE("an unmarked dung or huy alone is asked about once, and opts out only when confirmed",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    chat(shop, "zalo-huy", "chào shop");
    const std::string id = chat(shop, "zalo-huy", "Huy");
    CHECK_FALSE(opted_out(shop, "zalo-huy"));
    const auto questions = with_trigger(shop.messages_of(id), "keyword:stop_unclear");
    REQUIRE(questions.size() == 1);
    CHECK(questions[0]["text"] == "Bạn muốn ngừng nhận tin từ Shop? Trả lời DỪNG để xác nhận.");
    // The button to confirm, where the channel has buttons.
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM outbox WHERE template = 'opt_out_question' "
                                            "AND payload LIKE '%\"payload\":\"STOP\"%'") == 1);
    // Anything else is not a yes: still subscribed.
    chat(shop, "zalo-huy", "à không, mình hỏi size thôi");
    CHECK_FALSE(opted_out(shop, "zalo-huy"));
    // The button's payload comes back as text on Zalo: confirmed.
    chat(shop, "zalo-huy", "STOP");
    CHECK(opted_out(shop, "zalo-huy"));

    // A second "dung" right after the question is a yes to it ("dừng" or "đúng", both say so).
    chat(shop, "zalo-dung", "chào shop");
    chat(shop, "zalo-dung", "dung");
    CHECK_FALSE(opted_out(shop, "zalo-dung"));
    chat(shop, "zalo-dung", "dung");
    CHECK(opted_out(shop, "zalo-dung"));

    // "Đúng rồi" with its marks is not a yes to it: "đúng" never opts anyone out. It reads
    // as one all the same, so the question is asked again rather than thanked for.
    chat(shop, "zalo-dung-roi", "chào shop");
    const std::string agreeing = chat(shop, "zalo-dung-roi", "dung");
    chat(shop, "zalo-dung-roi", "Đúng rồi");
    CHECK_FALSE(opted_out(shop, "zalo-dung-roi"));
    const auto asked = with_trigger(shop.messages_of(agreeing), "keyword:stop_unclear");
    REQUIRE(asked.size() == 2);
    CHECK(asked[1]["text"] == "Bạn muốn ngừng nhận tin từ Shop? Trả lời DỪNG để xác nhận.");
    CHECK(with_trigger(shop.messages_of(agreeing), "keyword:thanks").empty());
    chat(shop, "zalo-dung-roi", "DỪNG");
    CHECK(opted_out(shop, "zalo-dung-roi"));
}

TEST_CASE("a first message gets one answer: the welcome or the reply, never both", "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    // A question: the voucher reply alone, its code once.
    const std::string asker = chat(shop, "zalo-first-ask", "Shop ơi có giảm giá không");
    json messages = shop.messages_of(asker);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["trigger"] == "keyword:voucher");
    const std::string text = messages[0]["text"];
    // It opens with the shop's greeting: the welcome and the answer as one reply.
    CHECK(text.rfind("Chào bạn, Shop rất vui được trò chuyện cùng bạn!\n", 0) == 0);
    REQUIRE(codes_in(text).size() == 1);
    CHECK(occurrences(text, *codes_in(text).begin()) == 1);

    // A greeting: the welcome alone, with its menu once.
    const std::string greeter = chat(shop, "zalo-first-hi", "Chào shop");
    messages = shop.messages_of(greeter);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["trigger"] == "first_contact");
    CHECK(occurrences(all_texts(messages), "Bạn có thể nhắn:") == 1);
}

TEST_CASE("product questions are answered from the catalog", "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    load_fashion_catalog(shop);
    chat(shop, "zalo-cat", "chào shop");

    // Named with marks, in another word order, or without marks at all.
    std::string id = chat(shop, "zalo-cat", "áo sơ mi trắng còn không");
    auto answers = with_trigger(shop.messages_of(id), "keyword:product_stock");
    REQUIRE(answers.size() == 1);
    std::string text = answers[0]["text"];
    CHECK(text.find("Áo sơ mi trắng tay dài: 350.000đ, còn hàng") != std::string::npos);
    CHECK(text.find("https://shop.vn/so-mi-trang") != std::string::npos);
    CHECK(text.find("Đầm hoa") == std::string::npos);

    id = chat(shop, "zalo-cat", "dam hoa gia bao nhieu");
    answers = with_trigger(shop.messages_of(id), "keyword:product_price");
    REQUIRE(answers.size() == 1);
    text = answers[0]["text"];
    CHECK(text.find("Đầm hoa nhí vintage: 459.000đ") != std::string::npos);

    CHECK(text.find("Bạn cần tư vấn thêm về size hay màu") != std::string::npos);

    // "còn size M không" names no product: it is about the one just asked about. The catalog
    // knows the product's stock, not the size's: staff will check it.
    chat(shop, "zalo-cat", "size M còn không");
    answers = with_trigger(shop.messages_of(id), "keyword:product_stock");
    REQUIRE(answers.size() == 2);
    text = answers[1]["text"];
    CHECK(text.find("Đầm hoa nhí vintage") != std::string::npos);
    CHECK(text.find("Về size bạn hỏi, nhân viên Shop sẽ kiểm tra") != std::string::npos);
    CHECK(text.find("Bạn cần tư vấn thêm về size") == std::string::npos);
    // A colour, the same: of the product in view, not advice about another.
    chat(shop, "zalo-cat", "có màu xanh không shop");
    answers = with_trigger(shop.messages_of(id), "keyword:product_stock");
    REQUIRE(answers.size() == 3);
    text = answers[2]["text"];
    CHECK(text.find("Đầm hoa nhí vintage") != std::string::npos);
    CHECK(text.find("Về màu bạn hỏi, nhân viên Shop sẽ kiểm tra") != std::string::npos);

    // Out of stock is said so.
    chat(shop, "zalo-cat", "váy đen còn hàng ko");
    answers = with_trigger(shop.messages_of(id), "keyword:product_stock");
    REQUIRE(answers.size() == 4);
    CHECK(answers[3]["text"].get<std::string>().find("Váy đen công sở: 420.000đ, tạm hết hàng") != std::string::npos);

    // A product the shop does not sell: the fallback, as for any message pheu cannot answer.
    chat(shop, "zalo-cat", "áo mưa còn không");
    answers = with_trigger(shop.messages_of(id), "keyword:product_stock");
    REQUIRE(answers.size() == 5);
    CHECK(answers[4]["template"] == "fallback");

    // No keyword at all, but products the shop sells named: answered from the catalog too.
    chat(shop, "zalo-cat", "có đầm hoa nhí không shop");
    answers = with_trigger(shop.messages_of(id), "keyword:product_stock");
    REQUIRE(answers.size() == 6);
    CHECK(answers[5]["text"].get<std::string>().find("Đầm hoa nhí vintage: 459.000đ, còn hàng") != std::string::npos);
    // A question that names nothing the shop sells stays with the fallback.
    chat(shop, "zalo-cat", "có bảo hành không");
    CHECK(with_trigger(shop.messages_of(id), "keyword:product_stock").size() == 6);

    // A price question after viewing a product in the Mini App refers to that product.
    json view = {{"event_id", "view-1"},
                 {"type", "product_viewed"},
                 {"occurred_at", shop.clock.now()},
                 {"customer", {{"zalo_user_id", "zalo-viewer"}}},
                 {"properties", {{"sku", "AO-THUN"}}}};
    shop.send_events({view});
    const std::string viewer = chat(shop, "zalo-viewer", "giá bao nhiêu ạ");
    answers = with_trigger(shop.messages_of(viewer), "keyword:product_price");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0]["text"].get<std::string>().find("Áo thun trắng basic: 199.000đ") != std::string::npos);
}

TEST_CASE("a shopper who wants to buy is asked for what the order needs, not for their size",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    load_fashion_catalog(shop);
    chat(shop, "zalo-buyer", "chào shop");
    const std::string id = chat(shop, "zalo-buyer", "đầm hoa nhí còn không shop");
    // It names a size to order it: the product just asked about, and what to send.
    chat(shop, "zalo-buyer", "ok lấy cho mình 1 cái size S luôn nhé");
    auto orders = with_trigger(shop.messages_of(id), "keyword:order_request");
    REQUIRE(orders.size() == 1);
    std::string text = orders[0]["text"];
    CHECK(text.find("shop lên đơn cho bạn ngay") != std::string::npos);
    CHECK(text.find("Đầm hoa nhí vintage: 459.000đ, còn hàng") != std::string::npos);
    CHECK(text.find("số điện thoại") != std::string::npos);
    // The size S it named is not asked for again.
    CHECK(text.find("size") == std::string::npos);
    CHECK(text.find("địa chỉ nhận hàng và màu nếu có") != std::string::npos);
    CHECK(with_trigger(shop.messages_of(id), "keyword:size_advice").empty());
    // The details it asked for are acknowledged, not met with the fallback's menu.
    chat(shop, "zalo-buyer", "Nguyễn Văn An, 0912 345 678, 12 Lê Lợi Q1");
    const auto received = with_trigger(shop.messages_of(id), "keyword:order_details");
    REQUIRE(received.size() == 1);
    CHECK(received[0]["text"].get<std::string>().find("shop đã nhận thông tin đặt hàng") != std::string::npos);
    CHECK(with_trigger(shop.messages_of(id), "keyword:fallback").empty());

    // Without a product in view, the same request for the order's details.
    const std::string other = chat(shop, "zalo-buyer-2", "chốt đơn cho em nha shop");
    orders = with_trigger(shop.messages_of(other), "keyword:order_request");
    REQUIRE(orders.size() == 1);
    text = orders[0]["text"];
    CHECK(text.find("số điện thoại") != std::string::npos);
    CHECK(text.find("địa chỉ nhận hàng, size và màu nếu có") != std::string::npos);
    CHECK(text.find("•") == std::string::npos);

    // A size named in the message before is not asked for either, for an hour.
    const std::string third = chat(shop, "zalo-buyer-3", "đầm hoa nhí sz M còn ko shop");
    chat(shop, "zalo-buyer-3", "lay cho minh 1 cai nhe");
    orders = with_trigger(shop.messages_of(third), "keyword:order_request");
    REQUIRE(orders.size() == 1);
    CHECK(orders[0]["text"].get<std::string>().find("địa chỉ nhận hàng và màu nếu có") != std::string::npos);
    shop.clock.advance_days(2.0 / 24);
    chat(shop, "zalo-buyer-3", "chốt đơn thêm 1 cái nữa shop");
    orders = with_trigger(shop.messages_of(third), "keyword:order_request");
    REQUIRE(orders.size() == 2);
    CHECK(orders[1]["text"].get<std::string>().find("địa chỉ nhận hàng, size và màu nếu có") != std::string::npos);
}

TEST_CASE("a payment question is answered with the shop's own words, or handed to staff",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    chat(shop, "zalo-pay", "chào shop");
    // No payment text yet: staff will say how, never the help menu.
    const std::string id = chat(shop, "zalo-pay", "chuyển khoản được không shop");
    CHECK(the_answer(shop, id, "keyword:payment").find("các cách thanh toán") != std::string::npos);
    CHECK(with_trigger(shop.messages_of(id), "keyword:help").empty());

    set_shop_profile(shop, "payment", "shop nhận chuyển khoản Vietcombank và COD toàn quốc.");
    const std::string other = chat(shop, "zalo-pay-2", "ck dc ko ad");
    CHECK(the_answer(shop, other, "keyword:payment").find("về thanh toán: shop nhận chuyển khoản Vietcombank") !=
          std::string::npos);
}

TEST_CASE("an exchange question gets the shop's returns policy, and a buyer's latest order",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    chat(shop, "zalo-swap", "chào shop");
    // Not bought yet: no word of an order they never placed, staff will say how exchanges go.
    const std::string id = chat(shop, "zalo-swap", "mặc không vừa thì đổi size được không shop");
    std::string text = the_answer(shop, id, "keyword:returns");
    CHECK(text.find("cách đổi size, đổi mẫu và trả hàng") != std::string::npos);
    CHECK(text.find("đơn hàng") == std::string::npos);
    CHECK(with_trigger(shop.messages_of(id), "keyword:order_support").empty());

    set_shop_profile(shop, "returns", "đổi size, đổi mẫu trong 7 ngày, sản phẩm còn nguyên tem mác.");
    shop.send_events({shop.purchase("swap-1", {{"zalo_user_id", "zalo-swap-2"}}, 2, 459000)});
    const std::string buyer = chat(shop, "zalo-swap-2", "doi tra the nao vay shop");
    text = the_answer(shop, buyer, "keyword:returns");
    INFO(text);
    CHECK(text.find("về đổi trả: đổi size, đổi mẫu trong 7 ngày") != std::string::npos);
    CHECK(text.find("Đơn gần nhất của bạn: order-swap-1 (459.000đ)") != std::string::npos);
}

TEST_CASE("an advice answer names its tip once, then the other best sellers", "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    load_fashion_catalog(shop);
    chat(shop, "zalo-advice", "chào shop");
    const std::string id = chat(shop, "zalo-advice", "tư vấn giúp mình nên mua gì");
    const auto answers = with_trigger(shop.messages_of(id), "keyword:product_advice");
    REQUIRE(answers.size() == 1);
    const std::string text = answers[0]["text"];
    INFO(text);
    const std::size_t tip_at = text.find("shop gợi ý bạn ");
    REQUIRE(tip_at != std::string::npos);
    const std::size_t name_at = tip_at + std::string("shop gợi ý bạn ").size();
    const std::string tip = text.substr(name_at, text.find(" (", name_at) - name_at);
    CHECK(occurrences(text, tip) == 1);
    CHECK(text.find("Đang bán chạy:\n• ") != std::string::npos);
}

TEST_CASE("winback survey answers are recorded, thanked and counted, not answered with the fallback",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    // A dormant customer is outside Zalo's 7-day window: the shop maps its Zalo template.
    map_winback_zalo_template(shop);
    // Their last order 92 days ago: dormant for two days, so the winback (and its survey) goes.
    shop.send_events({shop.purchase("sleepy-1", {{"zalo_user_id", "zalo-sleepy"}}, 92)});
    // The shopper talks to the shop after a quiet spell: dormant, they get the winback survey.
    shop.clock.advance_days(0.01);
    const json sleepy = shop.customer_by("zalo_user_id=zalo-sleepy");
    REQUIRE(sleepy["stage"] == "dormant");
    const std::string id = sleepy["id"];
    REQUIRE(with_trigger(shop.messages_of(id), "stage_entered:dormant").size() == 1);

    chat(shop, "zalo-sleepy", "2");
    const json messages = shop.messages_of(id);
    CHECK(with_trigger(messages, "keyword:fallback").empty());
    const auto thanks = with_trigger(messages, "survey_answered");
    REQUIRE(thanks.size() == 1);
    CHECK(thanks[0]["template"] == "survey_thanks");
    const json report = shop.admin_get("/api/v1/reports/funnel");
    CHECK(report["surveys"]["winback"]["2"] == 1);

    // A "2" from someone who was never asked is just a message.
    const std::string other = chat(shop, "zalo-random", "2");
    CHECK(with_trigger(shop.messages_of(other), "survey_answered").empty());
}

TEST_CASE("customers are greeted by their given name, as a Vietnamese shop does", "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    json form = {{"event_id", "form-1"},
                 {"type", "form_submitted"},
                 {"occurred_at", shop.clock.now()},
                 {"customer", {{"zalo_user_id", "zalo-lan"}, {"name", "Nguyễn Thị Lan"}}},
                 {"properties", {{"form_id", "dang-ky"}}}};
    shop.send_events({form});
    const std::string id = chat(shop, "zalo-lan", "chào shop");
    const std::string texts = all_texts(shop.messages_of(id));
    CHECK(texts.find("Chào Lan,") != std::string::npos);
    CHECK(texts.find("Nguyễn Thị Lan") == std::string::npos);
}

TEST_CASE("a POS purchase naming a PSID does not open Messenger's 24-hour window", "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    // The shopper last wrote on Messenger three days ago.
    shop.send_messenger(messenger_text_body("psid-pos", "chào shop", "mid-pos-1", shop.clock.now() - 3 * k_day));
    json purchase = shop.purchase("pos-psid-1", {{"messenger_psid", "psid-pos"}}, 0);
    shop.send_events({purchase});
    const std::string id = shop.customer_by("messenger_psid=psid-pos")["id"];
    const auto cross_sell = with_trigger(shop.messages_of(id), "event:purchase");
    REQUIRE(cross_sell.size() == 1);
    CHECK(cross_sell[0]["status"] == "skipped");
    CHECK(cross_sell[0]["reason"].get<std::string>().find("24-hour window is closed") != std::string::npos);
}

TEST_CASE("a backfilled history sets stages at their event times and sends nothing contradictory",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    shop.send_zalo(follow_body("zalo-history", shop.clock.now() - 200 * k_day));
    // Three past orders in one batch: the customer went through new_customer, dormant and
    // back, and is a frequent buyer since the last order, 3 days ago.
    shop.send_events({shop.purchase("hist-1", {{"zalo_user_id", "zalo-history"}}, 150),
                      shop.purchase("hist-2", {{"zalo_user_id", "zalo-history"}}, 40),
                      shop.purchase("hist-3", {{"zalo_user_id", "zalo-history"}}, 3)});
    const json customer = shop.customer_by("zalo_user_id=zalo-history");
    CHECK(customer["stage"] == "frequent_buyer");
    const json messages = shop.messages_of(customer["id"]);
    // No win-back for a dormancy long over, and the VIP message for the stage they are in.
    CHECK(with_trigger(messages, "stage_entered:dormant").empty());
    CHECK(with_trigger(messages, "stage_entered:frequent_buyer").size() == 1);
    // The history is dated by the orders, not by the moment it was imported.
    const json detail = shop.admin_get("/api/v1/customers/" + customer["id"].get<std::string>());
    // Dormant 90 days after the first order, i.e. 60 days ago; frequent since the last order.
    bool dormant_dated = false;
    for (const auto& row : detail["stage_history"]) {
        INFO(row.dump());
        if (row["to"] == "dormant") {
            dormant_dated = true;
            CHECK(row["at"].get<std::string>().substr(0, 10) == days_ago(shop.clock, 60).substr(0, 10));
        }
        if (row["to"] == "frequent_buyer") {
            CHECK(row["at"].get<std::string>().substr(0, 10) == days_ago(shop.clock, 3).substr(0, 10));
        }
    }
    CHECK(dormant_dated);
    // Revenue by the stage the customer was in when ordering: back as a new customer 40 days
    // ago, not the frequent buyer they are today.
    const json report = shop.admin_get("/api/v1/reports/funnel?from=" + days_ago(shop.clock, 45).substr(0, 10) +
                                       "&to=" + days_ago(shop.clock, 35).substr(0, 10));
    CHECK(report["revenue_by_stage"]["new_customer"] == 250000);
    CHECK(report["revenue_by_stage"]["frequent_buyer"] == 0);
}

TEST_CASE("a customer promised a win-back code keeps being offered it after writing back",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    map_winback_zalo_template(shop);
    shop.send_events({shop.purchase("wb-1", {{"zalo_user_id", "zalo-back"}}, 92)});
    const std::string id = shop.customer_by("zalo_user_id=zalo-back")["id"];
    const auto winback = with_trigger(shop.messages_of(id), "stage_entered:dormant");
    REQUIRE(winback.size() == 1);
    const auto promised = codes_in(winback[0]["text"]);
    REQUIRE(promised.size() == 1);
    // Their message makes them active again (a new customer), and they ask for a discount.
    chat(shop, "zalo-back", "shop có mã giảm giá không");
    CHECK(shop.customer_by("zalo_user_id=zalo-back")["stage"] == "new_customer");
    const auto replies = with_trigger(shop.messages_of(id), "keyword:voucher");
    REQUIRE(replies.size() == 1);
    CHECK(codes_in(replies[0]["text"]) == promised);
}

TEST_CASE("the till checks a code before checkout, and another customer's use is recorded",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    const std::string lan = chat(shop, "zalo-owner", "có khuyến mãi không");
    const auto codes = codes_in(with_trigger(shop.messages_of(lan), "keyword:voucher").at(0)["text"]);
    REQUIRE(codes.size() == 1);
    const std::string code = *codes.begin();
    shop.send_events({shop.purchase("other-0", {{"phone", "0988000111"}}, 1)});

    const auto check = [&](const std::string& query) {
        auto result = shop.server.client().Get(("/api/v1/vouchers/codes/" + code + query).c_str(),
                                               {{"Authorization", "Bearer events-token-for-tests-only"}});
        REQUIRE(result);
        REQUIRE(result->status == 200);
        return json::parse(result->body);
    };
    json status = check("?customer_id=" + lan);
    CHECK(status["owner"] == lan);
    CHECK(status["may_use"] == true);
    CHECK(status["valid_until"].is_string());
    status = check("?phone=0988000111");
    CHECK(status["may_use"] == false);
    CHECK(status["reason"] == "belongs_to_another_customer");
    CHECK(shop.server.client()
              .Get("/api/v1/vouchers/codes/NOPE-0000", {{"Authorization", "Bearer events-token-for-tests-only"}})
              ->status == 404);
    CHECK(shop.server.client().Get(("/api/v1/vouchers/codes/" + code).c_str())->status == 401);

    // Someone else uses it at the till anyway: recorded and flagged; personal, so still Lan's.
    json order = shop.purchase("other-1", {{"phone", "0988000111"}}, 0);
    order["properties"]["voucher_code"] = code;
    shop.send_events({order});
    const json campaigns = shop.admin_get("/api/v1/vouchers");
    bool flagged = false;
    for (const auto& campaign : campaigns["items"]) {
        if (campaign["id"] == "first_order") {
            flagged = campaign["used_by_others"] == 1 && campaign["used_by_others_honoured"] == 0;
        }
    }
    CHECK(flagged);
    CHECK(check("?customer_id=" + lan)["may_use"] == true);
}

TEST_CASE("a journey step already past when its trigger arrives is recorded skipped as late",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    // The cart was left 5 hours ago, but its event arrives only now: the 4-hour reminder is past.
    const json cart = {
        {"event_id", "late-cart"},
        {"type", "cart_updated"},
        {"occurred_at", days_ago(shop.clock, 5.0 / 24)},
        {"customer", {{"zalo_user_id", "zalo-late"}}},
        {"properties", {{"cart_id", "c-9"}, {"items", {{{"sku", "AO-1"}, {"name", "Áo"}, {"price", 1000}}}}}}};
    shop.send_events({cart});
    const std::string id = shop.customer_by("zalo_user_id=zalo-late")["id"];
    const auto reminders = with_trigger(shop.messages_of(id), "journey:cart_reminder/hour_4");
    REQUIRE(reminders.size() == 1);
    CHECK(reminders[0]["status"] == "skipped");
    CHECK(reminders[0]["reason"].get<std::string>().rfind("late", 0) == 0);
}

TEST_CASE("a message held for quiet hours is checked again when released, and skipped when stale",
          "[integration][conversation]") {
    Shop shop;
    map_winback_zalo_template(shop);
    advance_to_local_hour(shop.clock, 23);
    // Dormant at 23:00: the win-back (with a code for dormant customers) waits for the morning.
    shop.send_events({shop.purchase("owl-0", {{"zalo_user_id", "zalo-night-owl"}}, 92)});
    const std::string id = shop.customer_by("zalo_user_id=zalo-night-owl")["id"];
    auto winback = with_trigger(shop.messages_of(id), "stage_entered:dormant");
    REQUIRE(winback.size() == 1);
    REQUIRE(winback[0]["status"] == "queued");
    // They buy at the till before it goes: no longer dormant, the win-back no longer fits.
    shop.send_events({shop.purchase("owl-1", {{"zalo_user_id", "zalo-night-owl"}}, 0)});
    advance_to_local_hour(shop.clock, 7);
    REQUIRE(eventually(
        [&] { return with_trigger(shop.messages_of(id), "stage_entered:dormant")[0]["status"] != "queued"; }));
    winback = with_trigger(shop.messages_of(id), "stage_entered:dormant");
    CHECK(winback[0]["status"] == "skipped");
    CHECK(winback[0]["reason"].get<std::string>().rfind("stale", 0) == 0);
}

TEST_CASE("the sandbox shows what live would do with Zalo's 7-day window", "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    // Dormant, silent on Zalo for months: no template mapped, so live would be refused (-230).
    shop.send_events({shop.purchase("win-1", {{"zalo_user_id", "zalo-silent"}}, 92)});
    std::string id = shop.customer_by("zalo_user_id=zalo-silent")["id"];
    auto winback = with_trigger(shop.messages_of(id), "stage_entered:dormant");
    REQUIRE(winback.size() == 1);
    CHECK(winback[0]["status"] == "skipped");
    CHECK(winback[0]["reason"].get<std::string>().rfind("outside_window", 0) == 0);
    // With the shop's Zalo template mapped, it goes, as that template.
    map_winback_zalo_template(shop);
    shop.send_events({shop.purchase("win-2", {{"zalo_user_id", "zalo-silent-2"}}, 92)});
    id = shop.customer_by("zalo_user_id=zalo-silent-2")["id"];
    winback = with_trigger(shop.messages_of(id), "stage_entered:dormant");
    REQUIRE(winback.size() == 1);
    CHECK(winback[0]["status"] == "sandboxed");
    CHECK(winback[0]["reason"].get<std::string>().rfind("zalo_template", 0) == 0);
    // A reply to someone who just wrote is inside the window.
    const std::string writer = chat(shop, "zalo-writer", "có khuyến mãi không");
    CHECK(with_trigger(shop.messages_of(writer), "keyword:voucher")[0]["status"] == "sandboxed");
}

TEST_CASE("a size question that gives height and weight is not asked for them again", "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    chat(shop, "zalo-size", "chào shop");
    const std::string id = chat(shop, "zalo-size", "1m6 50kg mặc size gì");
    const auto answers = with_trigger(shop.messages_of(id), "keyword:size_advice");
    REQUIRE(answers.size() == 1);
    const std::string text = answers[0]["text"];
    CHECK(text.find("đã nhận số đo") != std::string::npos);
    CHECK(text.find("cho shop xin chiều cao") == std::string::npos);
    chat(shop, "zalo-size-2", "chào shop");
    const std::string other = chat(shop, "zalo-size-2", "tư vấn size giúp em");
    CHECK(with_trigger(shop.messages_of(other), "keyword:size_advice")[0]["text"].get<std::string>().find(
              "cho shop xin chiều cao") != std::string::npos);
    // Given in a message of their own, just before the question, they count all the same.
    const std::string third = chat(shop, "zalo-size-3", "em cao 1m58 nặng 48kg");
    chat(shop, "zalo-size-3", "mặc size nào vừa shop");
    const auto asked = with_trigger(shop.messages_of(third), "keyword:size_advice");
    REQUIRE_FALSE(asked.empty());
    CHECK(asked.back()["text"].get<std::string>().find("đã nhận số đo") != std::string::npos);
}

TEST_CASE("one batch that moves a customer through several stages runs only the last stage's rules",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    // The till was offline all day and sends three of today's orders at once.
    shop.send_events({shop.purchase("day-1", {{"zalo_user_id", "zalo-batch"}}, 0.3),
                      shop.purchase("day-2", {{"zalo_user_id", "zalo-batch"}}, 0.2),
                      shop.purchase("day-3", {{"zalo_user_id", "zalo-batch"}}, 0.1)});
    const json customer = shop.customer_by("zalo_user_id=zalo-batch");
    REQUIRE(customer["stage"] == "frequent_buyer");
    const json messages = shop.messages_of(customer["id"]);
    CHECK(with_trigger(messages, "stage_entered:frequent_buyer").size() == 1);
    // No new-customer care started for the moment they were a new customer.
    CHECK(query_int(shop.server.database(), "SELECT count(*) FROM journeys WHERE journey = 'new_customer_care' "
                                            "AND customer_id = " +
                                                customer["id"].get<std::string>()) == 0);
}

TEST_CASE("a shop whose playbook predates an intent still answers it, as it did before",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    // A playbook saved before the price and exchange questions existed: no rule for them.
    json playbook = shop.admin_get("/api/v1/playbook");
    json rules = json::array();
    for (const auto& rule : playbook["rules"]) {
        if (rule["trigger"] != "keyword:product_price" && rule["trigger"] != "keyword:returns") {
            rules.push_back(rule);
        }
    }
    playbook["rules"] = rules;
    {
        const auto db = pheu::store::sql::open_connection(shop.server.database());
        auto update = db->prepare("UPDATE playbook SET definition = ?, updated_at = updated_at + 1");
        update->bind(1, json{{"rules", playbook["rules"]}, {"journeys", playbook["journeys"]}}.dump());
        REQUIRE(update->run() == 1);
    }
    chat(shop, "zalo-old", "chào shop");
    const std::string id = chat(shop, "zalo-old", "giá bao nhiêu");
    CHECK(with_trigger(shop.messages_of(id), "keyword:fallback").size() == 1);
    // An exchange was an order's matter before it had a rule of its own: it still is.
    chat(shop, "zalo-old", "đổi size được không");
    CHECK(with_trigger(shop.messages_of(id), "keyword:order_support").size() == 1);
    CHECK(with_trigger(shop.messages_of(id), "keyword:fallback").size() == 1);
}

TEST_CASE("two questions pheu cannot answer get the fallback's paragraph once, whichever rule answers",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    chat(shop, "zalo-twice", "chào shop");
    // No catalog: a stock question falls back to the fallback's words and menu.
    std::string id = chat(shop, "zalo-twice", "Chào shop, đầm hoa nhí còn size M không ạ?");
    const auto sent_with_fallback = [&] {
        std::vector<json> sent;
        for (const auto& message : shop.messages_of(id)) {
            if (message["template"] == "fallback" && message["status"] != "skipped") {
                sent.push_back(message);
            }
        }
        return sent;
    };
    REQUIRE(sent_with_fallback().size() == 1);
    // A price question, then one pheu has no keyword for: the shopper was told staff will
    // answer, and is not told so again with the whole menu.
    chat(shop, "zalo-twice", "gia bao nhieu vay shop");
    const auto price = with_trigger(shop.messages_of(id), "keyword:product_price");
    REQUIRE(price.size() == 1);
    CHECK(price[0]["status"] == "skipped");
    CHECK(price[0]["reason"].get<std::string>().find("repeat: the fallback answer went to this customer") !=
          std::string::npos);
    chat(shop, "zalo-twice", "shop có bảo hành không");
    CHECK(sent_with_fallback().size() == 1);
    // The next day the fallback answers again.
    shop.clock.advance_days(1);
    chat(shop, "zalo-twice", "gia bao nhieu vay shop");
    CHECK(sent_with_fallback().size() == 2);
}

TEST_CASE("the menu is not shown again under a reply soon after, unless the shopper asks for it",
          "[integration][conversation]") {
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    const std::string menu_line = "Bạn có thể nhắn:";
    const auto last_sent = [&](const std::string& id, const std::string& template_id) {
        json found;
        for (const auto& message : shop.messages_of(id)) {
            if (message["template"] == template_id && message["status"] == "sandboxed") {
                found = message;
            }
        }
        REQUIRE(found.is_object());
        return found["text"].get<std::string>();
    };
    const std::string id = chat(shop, "zalo-menu", "chào shop");
    CHECK(occurrences(last_sent(id, "welcome_chat"), menu_line) == 1);
    // No catalog: the fallback answers, without the list the shopper has just read.
    chat(shop, "zalo-menu", "Chào shop, đầm hoa nhí còn size M không ạ?");
    const std::string fallback = last_sent(id, "fallback");
    CHECK(fallback.find("Nhân viên") != std::string::npos);
    CHECK(occurrences(fallback, menu_line) == 0);
    // Two hours later a greeting shows it again.
    shop.clock.advance_days(2.0 / 24);
    chat(shop, "zalo-menu", "chào shop");
    CHECK(occurrences(last_sent(id, "greeting_reply"), menu_line) == 1);
    // Asked for, it is shown even right after.
    chat(shop, "zalo-menu", "shop ơi hướng dẫn mua hàng");
    CHECK(occurrences(last_sent(id, "help_menu"), menu_line) == 1);
}
