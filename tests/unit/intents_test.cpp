#include "bot/playbook/intents.h"
#include "common/text_fold.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;
using pheu::common::fold_vietnamese;

TEST_CASE("folding ignores case, diacritics, đ and punctuation", "[unit][intents]") {
    CHECK(fold_vietnamese("Có KHUYẾN MÃI không?") == "co khuyen mai khong");
    CHECK(fold_vietnamese("ĐỪNG") == "dung");
    CHECK(fold_vietnamese("  Hủy!!  đăng   ký ") == "huy dang ky");
    // The same words typed with decomposed marks (NFD), as iOS keyboards send them.
    CHECK(fold_vietnamese("khuye\xcc\x82\xcc\x81n ma\xcc\x83i") == "khuyen mai");
    CHECK(fold_vietnamese("\xff\xfe voucher") == "voucher"); // invalid bytes are dropped
    CHECK(fold_vietnamese("🎉🎉").empty());
    // Every ASCII punctuation, space and control character separates words.
    CHECK(fold_vietnamese("Ab1_-~Z\t9!\"#$%&'()*+,./:;<=>?@[\\]^`{|}\x7f\x01"
                          "end") == "ab1 z 9 end");
}

TEST_CASE("discount asks are recognised in any case, with or without diacritics", "[unit][intents]") {
    for (const char* text : {"khuyến mãi", "Giảm giá", "MÃ GIẢM GIÁ", "voucher", "co khuyen mai khong",
                             "Shop có khuyến mãi không?", "cho xin ma giam gia voi", "Có ưu đãi gì ko"}) {
        INFO(text);
        CHECK(intent_of_text(text) == Intent::voucher);
    }
}

TEST_CASE("an opt-out is read with its diacritics", "[unit][intents]") {
    for (const char* text :
         {"dừng", "STOP", "hủy", "huỷ", "Dừng lại.", "hủy đăng ký", "Không nhận tin nữa", "dừng nhận tin",
          "đừng nhắn nữa", "hủy đăng ký nhận tin", "Shop ơi dừng nhận tin giúp em", "unsubscribe", "ko nhan tin nua"}) {
        INFO(text);
        CHECK(intent_of_text(text) == Intent::stop);
    }
    // The same letters with other marks are other words: yes, use, a name.
    CHECK(intent_of_text("Đúng") != Intent::stop);
    CHECK(intent_of_text("Dùng") != Intent::stop);
    CHECK(intent_of_text("Dũng") != Intent::stop);
    // Written without marks, one word alone is ambiguous: pheu asks before opting out.
    CHECK(intent_of_text("dung") == Intent::stop_unclear);
    CHECK(intent_of_text("Huy") == Intent::stop_unclear);
    // Inside another request it is never an opt-out.
    CHECK(intent_of_text("hủy đơn hàng giúp mình") == Intent::order_support);
    CHECK(intent_of_text("dùng mã này được không") == Intent::voucher);
    CHECK(intent_of_text("nội dung sản phẩm") == Intent::product_advice);
    CHECK(intent_of_text("sử dụng thế nào") == Intent::fallback);
    for (const char* text : {"bắt đầu", "bat dau", "Start"}) {
        INFO(text);
        CHECK(intent_of_text(text) == Intent::start);
    }
}

TEST_CASE("a yes to pheu's question, and a numbered choice", "[unit][intents]") {
    for (const char* text : {"dung", "Có", "ok", "DỪNG", "vâng"}) {
        INFO(text);
        CHECK(is_affirmation(text));
    }
    CHECK_FALSE(is_affirmation("không"));
    CHECK_FALSE(is_affirmation("dùng"));
    // Written with its marks, "đúng" never opts anyone out, not even as an answer.
    CHECK_FALSE(is_affirmation("Đúng"));
    CHECK_FALSE(is_affirmation("đúng rồi"));
    CHECK(choice_of_text("1") == 1);
    CHECK(choice_of_text(" 2. ") == 2);
    CHECK(choice_of_text("số 3") == 3);
    CHECK(choice_of_text("SURVEY_2") == 2);
    CHECK_FALSE(choice_of_text("12").has_value());
    CHECK_FALSE(choice_of_text("size 2").has_value());
}

TEST_CASE("other asks, the fallback, and messages without words", "[unit][intents]") {
    CHECK(intent_of_text("Địa chỉ shop ở đâu?") == Intent::shop_info);
    CHECK(intent_of_text("mấy giờ mở cửa") == Intent::shop_info);
    CHECK(intent_of_text("tư vấn giúp mình áo khoác") == Intent::product_advice);
    CHECK(intent_of_text("menu") == Intent::help);
    CHECK(intent_of_text("hello shop") == Intent::greeting);
    CHECK(intent_of_text("áo này đẹp quá") == Intent::fallback);
    CHECK_FALSE(intent_of_text("").has_value());
    CHECK_FALSE(intent_of_text("👍").has_value());
    // "km" is a word, not a part of one.
    CHECK(intent_of_text("có km không") == Intent::voucher);
    CHECK(intent_of_text("kmart") == Intent::fallback);
    CHECK(intent_of_text("??") == Intent::fallback);
}

TEST_CASE("a phone number in a message, however it is typed", "[unit][intents]") {
    for (const char* with_phone : {"Nguyễn Văn An, 0912 345 678, 12 Lê Lợi Q1", "sdt 0912.345.678",
                                   "0912345678 12 Lê Lợi", "+84 912 345 678", "gọi 028 3823 4567 nha"}) {
        INFO(with_phone);
        CHECK(mentions_phone_number(with_phone));
    }
    for (const char* without : {"lấy 2 cái size 39", "12 Lê Lợi, quận 1", "mã đơn 123456", "1m6 50kg", ""}) {
        INFO(without);
        CHECK_FALSE(mentions_phone_number(without));
    }
}

TEST_CASE("a size the shopper names, and what only looks like one", "[unit][intents]") {
    for (const char* with_size : {"lấy cho mình 1 cái size M", "ok lấy 1 cái size S luôn nhé", "đôi sz 39 nha",
                                  "Size XL màu đen", "cỡ L", "áo 2xl còn không", "size 28 nhé shop", "freesize à"}) {
        INFO(with_size);
        CHECK(mentions_size(with_size));
    }
    for (const char* without :
         {"lấy cho mình 1 cái", "chốt đơn", "size nào vừa", "1m6 50kg", "có không", "size", "có 2 cái", "m ơi", ""}) {
        INFO(without);
        CHECK_FALSE(mentions_size(without));
    }
    // A question about a size names it too: "có size M không" asks for that size.
    CHECK(mentions_size("có size M không"));
}

TEST_CASE("agreement that never confirms an opt-out", "[unit][intents]") {
    for (const char* agreeing : {"Đúng rồi", "đúng", "Dạ đúng rồi", "phải", "Chính xác"}) {
        INFO(agreeing);
        CHECK(agrees_without_confirming(agreeing));
        CHECK_FALSE(is_affirmation(agreeing));
    }
    for (const char* other : {"dung", "dừng", "ok", "đúng size rồi cảm ơn shop", "Dùng"}) {
        INFO(other);
        CHECK_FALSE(agrees_without_confirming(other));
    }
}

TEST_CASE("whether a thing is still there, and where an order is, however it is worded", "[unit][intents]") {
    // Each was answered wrongly in front of a shopper: size advice, or the fallback.
    for (const char* still_there :
         {"con ao khoac den size L ko shop", "Shop ơi còn áo thun trắng size M không ạ?", "con quan jean xanh ko",
          "đầm hoa nhí còn ko shop", "váy trắng hết size S rồi hả shop", "còn đôi size 39 không shop"}) {
        INFO(still_there);
        CHECK(intent_of_text(still_there) == Intent::product_stock);
    }
    // Not every "còn": a height and weight ask for a size; "được không" asks what can be done.
    CHECK(intent_of_text("1m6 50kg mặc size gì còn kịp không") == Intent::size_advice);
    // "có size XL không" asks whether the size is sold, not which one fits; "có vừa không" does.
    CHECK(intent_of_text("áo sơ mi có size XL không") == Intent::product_stock);
    CHECK(intent_of_text("co size 40 ko shop") == Intent::product_stock);
    CHECK(intent_of_text("size M có vừa không shop") == Intent::size_advice);
    CHECK(intent_of_text("em 55kg có size L không") == Intent::size_advice);
    // A colour of the product in view is a stock question; "mẫu" (a design) asks for advice.
    CHECK(intent_of_text("có màu xanh không shop") == Intent::product_stock);
    CHECK(intent_of_text("co mau den ko") == Intent::product_stock);
    CHECK(intent_of_text("shop có mẫu nào mới không") == Intent::product_advice);
    CHECK(asks_about_colour("có mấy màu vậy shop"));
    CHECK_FALSE(asks_about_colour("co mau nao moi ko"));
    // A polite no is met with thanks; "no need to message me any more" opts out.
    CHECK(intent_of_text("thôi khỏi shop ơi") == Intent::thanks);
    CHECK(intent_of_text("k cần nữa") == Intent::thanks);
    CHECK(intent_of_text("để lần sau nha shop") == Intent::thanks);
    CHECK(intent_of_text("không cần nhắn tin nữa đâu") == Intent::stop);
    CHECK(intent_of_text("khong can nhan tin nua") == Intent::stop);
    CHECK(intent_of_text("không cần size M đâu, lấy cho mình size L nhé") == Intent::order_request);
    // Thanks that name a size ask nothing about it.
    CHECK(intent_of_text("đúng size rồi cảm ơn shop") == Intent::thanks);
    CHECK(intent_of_text("cảm ơn shop, size nào vừa với mình?") == Intent::size_advice);
    CHECK(intent_of_text("còn dùng được không") == Intent::fallback);
    CHECK(intent_of_text("có bảo hành không") == Intent::fallback);
    // Ways to pay; "ck" alone is a husband as often as a bank transfer.
    CHECK(intent_of_text("ck dc ko shop") == Intent::payment);
    CHECK(intent_of_text("chuyển khoản trước hay COD") == Intent::payment);
    CHECK(intent_of_text("ship cod được không") == Intent::shipping);
    CHECK(intent_of_text("ck mình thích cái áo này") != Intent::payment);
    // Exchanging a size asks for the shop's policy, before an order as often as after, with or
    // without its marks. Waiting for the goods ("đợi hàng") is an order's matter, and a pair
    // ("đôi") is no exchange.
    CHECK(intent_of_text("đổi size được không ạ") == Intent::returns);
    CHECK(intent_of_text("doi size duoc ko") == Intent::returns);
    CHECK(intent_of_text("shop có cho đổi trả không") == Intent::returns);
    CHECK(intent_of_text("em đợi hàng 5 ngày rồi") == Intent::order_support);
    CHECK(intent_of_text("còn đôi size 39 không") == Intent::product_stock);
    // "đặt" with what says now orders; "đặt" in the past asks about the order.
    CHECK(intent_of_text("ok de minh dat") == Intent::order_request);
    CHECK(intent_of_text("cho em đặt 1 cái size M") == Intent::order_request);
    for (const char* order : {"mình đặt hôm qua mà chưa thấy", "mình đặt 3 ngày rồi sao chưa thấy giao",
                              "dat roi ma chua thay hang", "đơn em tới đâu rồi shop", "chưa nhận hàng nữa shop ơi"}) {
        INFO(order);
        CHECK(intent_of_text(order) == Intent::order_support);
    }
}

TEST_CASE("button payloads name intents by id, else read as text", "[unit][intents]") {
    CHECK(intent_of_payload("VOUCHER") == Intent::voucher);
    CHECK(intent_of_payload("PRODUCT_ADVICE") == Intent::product_advice);
    CHECK(intent_of_payload("GET_STARTED") == Intent::get_started);
    CHECK(intent_of_payload("shop_info") == Intent::shop_info);
    CHECK(intent_of_payload("Khuyến mãi") == Intent::voucher);
    CHECK(intent_of_payload("something-else") == Intent::fallback);
    CHECK(intent_of_payload("STOP") == Intent::stop);
    for (Intent intent : {Intent::voucher, Intent::stop, Intent::stop_unclear, Intent::help, Intent::fallback}) {
        CHECK(parse_intent(intent_id(intent)) == intent);
    }
}

TEST_CASE("an intent a saved playbook has no rule for is answered as before it existed", "[unit][intents]") {
    // "đổi size" was an order's matter until exchanges had a rule of their own.
    CHECK(answered_before_by(Intent::returns) == Intent::order_support);
    CHECK(answered_before_by(Intent::order_support) == Intent::fallback);
    CHECK(answered_before_by(Intent::product_price) == Intent::fallback);
    CHECK_FALSE(answered_before_by(Intent::fallback));
}
