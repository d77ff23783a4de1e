#include "bot/intents.h"
#include "bot/text_fold.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;

TEST_CASE("folding ignores case, diacritics, đ and punctuation", "[unit][intents]") {
    CHECK(fold_vietnamese("Có KHUYẾN MÃI không?") == "co khuyen mai khong");
    CHECK(fold_vietnamese("ĐỪNG") == "dung");
    CHECK(fold_vietnamese("  Hủy!!  đăng   ký ") == "huy dang ky");
    // The same words typed with decomposed marks (NFD), as iOS keyboards send them.
    CHECK(fold_vietnamese("khuye\xcc\x82\xcc\x81n ma\xcc\x83i") == "khuyen mai");
    CHECK(fold_vietnamese("\xff\xfe voucher") == "voucher"); // invalid bytes are dropped
    CHECK(fold_vietnamese("🎉🎉").empty());
    // Every ASCII punctuation, space and control character separates words.
    CHECK(fold_vietnamese("Ab1_-~Z\t9!\"#$%&'()*+,./:;<=>?@[\\]^`{|}\x7f\x01" "end") == "ab1 z 9 end");
}

TEST_CASE("discount asks are recognised in any case, with or without diacritics", "[unit][intents]") {
    for (const char* text : {"khuyến mãi", "Giảm giá", "MÃ GIẢM GIÁ", "voucher", "co khuyen mai khong",
                             "Shop có khuyến mãi không?", "cho xin ma giam gia voi", "Có ưu đãi gì ko"}) {
        INFO(text);
        CHECK(intent_of_text(text) == Intent::voucher);
    }
}

TEST_CASE("stop and start must be the whole message", "[unit][intents]") {
    for (const char* text : {"dừng", "dung", "STOP", "hủy", "huy", "Dừng lại.", "hủy đăng ký"}) {
        INFO(text);
        CHECK(intent_of_text(text) == Intent::stop);
    }
    for (const char* text : {"bắt đầu", "bat dau", "Start"}) {
        INFO(text);
        CHECK(intent_of_text(text) == Intent::start);
    }
    // Words that contain or mention them are not an opt-out.
    CHECK(intent_of_text("hủy đơn hàng giúp mình") != Intent::stop);
    CHECK(intent_of_text("nội dung sản phẩm") == Intent::product_advice);
    CHECK(intent_of_text("sử dụng thế nào") == Intent::fallback);
}

TEST_CASE("other asks, the fallback, and messages without words", "[unit][intents]") {
    CHECK(intent_of_text("Địa chỉ shop ở đâu?") == Intent::shop_info);
    CHECK(intent_of_text("mấy giờ mở cửa") == Intent::shop_info);
    CHECK(intent_of_text("tư vấn giúp mình áo khoác") == Intent::product_advice);
    CHECK(intent_of_text("menu") == Intent::help);
    CHECK(intent_of_text("hello shop") == Intent::fallback);
    CHECK_FALSE(intent_of_text("").has_value());
    CHECK_FALSE(intent_of_text("👍").has_value());
    // "km" is a word, not a part of one.
    CHECK(intent_of_text("có km không") == Intent::voucher);
    CHECK(intent_of_text("kmart") == Intent::fallback);
}

TEST_CASE("button payloads name intents by id, else read as text", "[unit][intents]") {
    CHECK(intent_of_payload("VOUCHER") == Intent::voucher);
    CHECK(intent_of_payload("PRODUCT_ADVICE") == Intent::product_advice);
    CHECK(intent_of_payload("GET_STARTED") == Intent::get_started);
    CHECK(intent_of_payload("shop_info") == Intent::shop_info);
    CHECK(intent_of_payload("Khuyến mãi") == Intent::voucher);
    CHECK(intent_of_payload("something-else") == Intent::fallback);
    for (Intent intent : {Intent::voucher, Intent::stop, Intent::help, Intent::fallback}) {
        CHECK(parse_intent(intent_id(intent)) == intent);
    }
}
