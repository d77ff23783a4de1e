#include "bot/customers/segment_filter.h"
#include "bot/customers/stage_engine.h"
#include "common/city.h"
#include "common/input_error.h"

#include <catch2/catch.hpp>

using namespace pheu;
using nlohmann::json;

namespace {

// The field a refused filter names.
std::string refused_path(const json& filter) {
    try {
        bot::parse_segment_filter(filter);
    } catch (const common::InputRejected& rejected) {
        return rejected.error().path;
    }
    return "accepted";
}

} // namespace

TEST_CASE("a segment filter reads every condition the README lists", "[unit][segments]") {
    const auto filter = bot::parse_segment_filter({{"stage", {"frequent_buyer", "dormant"}},
                                                   {"orders_count", {{"min", 2}}},
                                                   {"total_spent", {{"max", 5000000}}},
                                                   {"last_order_days_ago", {{"min", 30}, {"max", 90}}},
                                                   {"last_interaction_days_ago", {{"max", 7}}},
                                                   {"first_seen_days_ago", {{"min", 1}, {"max", nullptr}}},
                                                   {"bought_category", "ao"},
                                                   {"city", "TP.HCM"},
                                                   {"birthday_month", 2},
                                                   {"reachable", "messenger"}});
    CHECK(filter.stages == std::vector<std::string>{"frequent_buyer", "dormant"});
    CHECK(filter.orders_count.min == 2);
    CHECK_FALSE(filter.orders_count.max);
    CHECK(filter.total_spent.max == 5000000);
    CHECK(filter.last_order_days_ago.min == 30);
    CHECK(filter.last_order_days_ago.max == 90);
    CHECK(filter.last_interaction_days_ago.max == 7);
    CHECK(filter.first_seen_days_ago.min == 1);
    CHECK_FALSE(filter.first_seen_days_ago.max);
    CHECK(filter.bought_categories == std::vector<std::string>{"ao"});
    CHECK(filter.city_key == "ho chi minh");
    CHECK(filter.birthday_month == 2);
    CHECK(filter.reachable == store::Reach::messenger);

    const auto everyone = bot::parse_segment_filter(json::object());
    CHECK(everyone.stages.empty());
    CHECK_FALSE(everyone.orders_count.any());
    CHECK_FALSE(everyone.reachable);
}

TEST_CASE("a segment filter refuses what could widen or empty an audience by mistake", "[unit][segments]") {
    CHECK(refused_path({{"stages", "dormant"}}) == "/filter/stages"); // a misspelt key is not ignored
    CHECK(refused_path({{"stage", "khach_quen"}}) == "/filter/stage");
    CHECK(refused_path({{"stage", json::array()}}) == "/filter/stage");
    CHECK(refused_path({{"stage", {"dormant", 3}}}) == "/filter/stage/1");
    CHECK(refused_path({{"orders_count", 2}}) == "/filter/orders_count");
    CHECK(refused_path({{"orders_count", {{"min", -1}}}}) == "/filter/orders_count/min");
    CHECK(refused_path({{"orders_count", {{"min", 1.5}}}}) == "/filter/orders_count/min");
    CHECK(refused_path({{"orders_count", {{"least", 1}}}}) == "/filter/orders_count/least");
    CHECK(refused_path({{"last_order_days_ago", {{"min", 90}, {"max", 30}}}}) == "/filter/last_order_days_ago");
    CHECK(refused_path({{"last_order_days_ago", {{"max", 9223372036854775807LL}}}}) ==
          "/filter/last_order_days_ago/max");
    CHECK(refused_path({{"bought_category", {"ao", ""}}}) == "/filter/bought_category/1");
    CHECK(refused_path({{"city", "  ...  "}}) == "/filter/city");
    CHECK(refused_path({{"birthday_month", 0}}) == "/filter/birthday_month");
    CHECK(refused_path({{"birthday_month", "2"}}) == "/filter/birthday_month");
    CHECK(refused_path({{"reachable", "email"}}) == "/filter/reachable");
    CHECK(refused_path("frequent_buyer") == "/filter");
    CHECK(refused_path({{"orders_count", {{"min", 0}, {"max", 0}}}}) == "accepted");
}

TEST_CASE("a city is one key however shoppers and Zalo write it", "[unit][segments]") {
    for (const char* text : {"Hồ Chí Minh", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "TP.HCM", "tphcm", "HCM",
                             "Sài Gòn", "Sai Gon", "Ho Chi Minh City", "hồ chí minh "}) {
        INFO(text);
        CHECK(common::city_key(text) == "ho chi minh");
    }
    for (const char* text : {"Hà Nội", "TP Hà Nội", "HN", "ha noi", "Hanoi"}) {
        INFO(text);
        CHECK(common::city_key(text) == "ha noi");
    }
    CHECK(common::city_key("Tỉnh Bình Dương") == "binh duong");
    CHECK(common::city_key("Đà Nẵng") == "da nang");
    CHECK(common::city_key("Huế") != common::city_key("Hà Nội"));
    CHECK(common::city_key("!!!").empty());
}

TEST_CASE("a segment filter reads what customers bought, viewed, hold, are and are tagged", "[unit][segments]") {
    const auto filter = bot::parse_segment_filter({{"temperature", {"hot", "warm"}},
                                                   {"bought_sku", "AO-1"},
                                                   {"viewed_category", {"dam", "vay"}},
                                                   {"viewed_sku", "DAM-2"},
                                                   {"gender", "Nữ"},
                                                   {"voucher_held", "tet"},
                                                   {"voucher_redeemed", {"welcome"}},
                                                   {"opted_in", true},
                                                   {"zalo_tag", "Khách sỉ"}});
    CHECK(filter.temperatures == std::vector<store::Temperature>{store::Temperature::hot, store::Temperature::warm});
    CHECK(filter.temperature_bounds.hot_within_ms == 3 * bot::k_day_ms);
    CHECK(filter.temperature_bounds.hot_min_interactions == 3);
    CHECK(filter.temperature_bounds.warm_within_ms == 14 * bot::k_day_ms);
    CHECK(filter.bought_skus == std::vector<std::string>{"AO-1"});
    CHECK(filter.viewed_categories == std::vector<std::string>{"dam", "vay"});
    CHECK(filter.viewed_skus == std::vector<std::string>{"DAM-2"});
    CHECK(filter.gender == "female");
    CHECK(filter.vouchers_held == std::vector<std::string>{"tet"});
    CHECK(filter.vouchers_redeemed == std::vector<std::string>{"welcome"});
    CHECK(filter.opted_in);
    CHECK(filter.zalo_tags == std::vector<std::string>{"Khách sỉ"});
    CHECK(bot::parse_segment_filter({{"gender", "male"}}).gender == "male");

    CHECK(refused_path({{"temperature", "lukewarm"}}) == "/filter/temperature");
    CHECK(refused_path({{"gender", "other"}}) == "/filter/gender");
    CHECK(refused_path({{"opted_in", "yes"}}) == "/filter/opted_in");
    CHECK(refused_path({{"zalo_tag", ""}}) == "/filter/zalo_tag");
}
