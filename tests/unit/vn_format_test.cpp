#include "common/shop_time.h"
#include "bot/voucher_code.h"
#include "templates/vn_format.h"

#include <catch2/catch.hpp>

#include <set>

using namespace pheu;

TEST_CASE("money, names and lengths are written the Vietnamese way", "[unit][format]") {
    CHECK(templates::format_money_vnd(699000) == "699.000đ");
    CHECK(templates::format_money_vnd(0) == "0đ");
    CHECK(templates::format_money_vnd(1250000) == "1.250.000đ");
    CHECK(templates::format_money_vnd(-15000) == "-15.000đ");
    CHECK(templates::display_name("Lan") == "Lan");
    CHECK(templates::display_name("  ") == "bạn");
    CHECK(templates::capitalize_first("bạn ơi") == "Bạn ơi");
    CHECK(templates::capitalize_first("đạt") == "Đạt");
    CHECK(templates::utf8_length("Chào") == 4);
    CHECK(templates::truncate_utf8("Chào bạn", 5) == "Chào…");
    CHECK(templates::truncate_utf8("Chào", 4) == "Chào");
}

TEST_CASE("dates are dd/mm/yyyy in the shop's timezone", "[unit][format]") {
    const pheu::common::ShopTime clock("Asia/Ho_Chi_Minh");
    // 2026-11-23T18:30:00Z is already the 24th in Ho Chi Minh City.
    CHECK(clock.format_date(1795458600000) == "24/11/2026");
    CHECK(clock.local_minute_of_day(1795458600000) == 90);
    CHECK(clock.next_local_time(1795458600000, 6 * 60) == 1795458600000 + (4 * 60 + 30) * 60'000LL);
}

TEST_CASE("generated voucher codes follow the pattern and hold letters and digits", "[unit][vouchers]") {
    std::uint32_t state = 7;
    const bot::RandomSource random = [&](std::uint32_t bound) {
        state = state * 1103515245U + 12345U;
        return (state >> 8) % bound;
    };
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string code = bot::generate_voucher_code("chao-****", random);
        REQUIRE(code.size() == 9);
        CHECK(code.rfind("CHAO-", 0) == 0);
        CHECK(code.find_first_of("0123456789") != std::string::npos);
        CHECK(code.find_first_of("O0I1", 5) == std::string::npos);
        seen.insert(code);
    }
    CHECK(seen.size() > 150);
    // All-letter luck is corrected: a digit is forced in.
    const bot::RandomSource letters_only = [](std::uint32_t bound) { return bound == 2 ? 0U : 0U; };
    const std::string forced = bot::generate_voucher_code("****", letters_only);
    CHECK(forced.find_first_of("23456789") != std::string::npos);
    CHECK(forced.find_first_of("ABCDEFGHJKLMNPQRSTUVWXYZ") != std::string::npos);

    CHECK(bot::valid_code_pattern("CHAO-****"));
    CHECK(bot::valid_code_pattern("??##"));
    CHECK_FALSE(bot::valid_code_pattern("????"));  // never a digit
    CHECK_FALSE(bot::valid_code_pattern("AB-**")); // too few random positions
    CHECK_FALSE(bot::valid_code_pattern("SALE_****"));
    CHECK(bot::normalise_voucher_code(" chao-7k2q ") == "CHAO-7K2Q");
    CHECK(bot::is_voucher_code("CHAO-7K2Q"));
    CHECK(bot::is_voucher_code(forced + "-22"));
    CHECK_FALSE(bot::is_voucher_code("CHAO-KQ"));  // no digit
    CHECK_FALSE(bot::is_voucher_code("A1"));       // too short
    CHECK_FALSE(bot::is_voucher_code("TET_2026")); // '_' is not allowed
}

TEST_CASE("a customer is called by the given name, with the right honorific", "[unit][vn_format]") {
    using pheu::templates::given_name;
    using pheu::templates::honorific;
    CHECK(given_name("Nguyễn Thị Lan") == "Lan");
    CHECK(given_name("Trần Văn Huy") == "Huy");
    CHECK(given_name("nguyen thi lan") == "lan");
    CHECK(given_name("Lan Nguyễn") == "Lan"); // family name last, as many display names put it
    CHECK(given_name("Lan") == "Lan");
    CHECK(given_name("Mai Anh") == "Mai Anh"); // no family name known: the name as written
    CHECK(given_name("Mẹ Bống") == "Mẹ Bống");
    CHECK(given_name("") == "bạn");
    CHECK(given_name("   ") == "bạn");
    CHECK(honorific("1") == "anh");
    CHECK(honorific("female") == "chị");
    CHECK(honorific("Nữ") == "chị");
    CHECK(honorific("") == "bạn");
}
