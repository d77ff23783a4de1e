#include "bot/playbook/holdout.h"
#include "bot/playbook/short_links.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;

TEST_CASE("links are found as a reader sees them, without the sentence's punctuation", "[unit][links]") {
    CHECK(links_in("Xem tại https://shop.vn/ao-thun. Hẹn bạn!") == std::vector<std::string>{"https://shop.vn/ao-thun"});
    CHECK(links_in("(https://shop.vn/a?x=1&y=2), http://b.vn\nhết") ==
          std::vector<std::string>{"https://shop.vn/a?x=1&y=2", "http://b.vn"});
    CHECK(links_in("không có link, chỉ chữ http thôi").empty());
    CHECK(replace_links("A https://a.vn/x, B https://b.vn.", [](const std::string& url) -> std::optional<std::string> {
              return url == "https://a.vn/x" ? std::optional<std::string>("S") : std::nullopt;
          }) == "A S, B https://b.vn.");
}

TEST_CASE("a link's token is short, reads back, and a changed or invented one does not", "[unit][links]") {
    const std::string secret = "0123456789abcdef0123456789abcdef";
    for (const std::int64_t id : {1LL, 61LL, 62LL, 123456789LL}) {
        const std::string token = link_token(id, secret);
        CHECK(token.size() <= 16);
        CHECK(link_id_of(token, secret) == id);
        CHECK_FALSE(link_id_of(token, "another secret"));
        std::string changed = token;
        changed[0] = changed[0] == '1' ? '2' : '1';
        CHECK_FALSE(link_id_of(changed, secret));
    }
    CHECK_FALSE(link_id_of("", secret));
    CHECK_FALSE(link_id_of("abc", secret));
    CHECK_FALSE(link_id_of("!!!!!!!!!!!!!!!", secret));
    CHECK_FALSE(link_id_of("zzzzzzzzzzzzzzzzzzzzzzzzzzzz", secret));
}

TEST_CASE("UTM parameters are added to the link the shop wrote, keeping its own", "[unit][links]") {
    const Utm utm{.medium = "zalo", .campaign = "broadcast:7"};
    CHECK(with_utm("https://shop.vn/sale", utm) ==
          "https://shop.vn/sale?utm_source=pheu&utm_medium=zalo&utm_campaign=broadcast%3A7");
    CHECK(with_utm("https://shop.vn/sale?size=M#top", utm) ==
          "https://shop.vn/sale?size=M&utm_source=pheu&utm_medium=zalo&utm_campaign=broadcast%3A7#top");
    CHECK(with_utm("https://shop.vn/?utm_source=fb", utm) ==
          "https://shop.vn/?utm_source=fb&utm_medium=zalo&utm_campaign=broadcast%3A7");
}

TEST_CASE("a platform's link preview is not a shopper's click", "[unit][links]") {
    CHECK(is_link_preview("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"));
    CHECK(is_link_preview("Facebot"));
    CHECK(is_link_preview("TelegramBot (like TwitterBot)"));
    CHECK(is_link_preview("Zalo-Link-Preview/1.0"));
    CHECK_FALSE(is_link_preview("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile Zalo/24.1"));
    CHECK_FALSE(is_link_preview("Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile Safari/537.36 [FBAN/FB4A]"));
    CHECK_FALSE(is_link_preview("python-requests/2.31"));
}

TEST_CASE("the lift over a control group comes with its 95 % interval", "[unit][links]") {
    CHECK_FALSE(conversion_lift(100, 10, 0, 0));
    const auto lift = conversion_lift(1800, 180, 200, 10);
    REQUIRE(lift);
    CHECK(lift->treatment_rate == Approx(0.10));
    CHECK(lift->control_rate == Approx(0.05));
    CHECK(lift->lift == Approx(0.05));
    // sqrt(0.1·0.9/1800 + 0.05·0.95/200) = 0.016956
    CHECK(lift->low == Approx(0.05 - 1.96 * 0.016956).epsilon(0.01));
    CHECK(lift->high == Approx(0.05 + 1.96 * 0.016956).epsilon(0.01));
}
