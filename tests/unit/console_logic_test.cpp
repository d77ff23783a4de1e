// The console's pure pieces: the funnel over time, the catalog's CSV reading and the
// settings schema.
#include "bot/funnel_report.h"
#include "bot/product_csv.h"
#include "bot/settings_schema.h"

#include <catch2/catch.hpp>

using namespace pheu::bot;
using nlohmann::json;

namespace {
constexpr std::int64_t k_day = 24LL * 3600 * 1000;
}

TEST_CASE("the funnel over time counts stages at each day's end and the period's conversions", "[unit][console]") {
    // Customer 1: lead on day 0, customer on day 2. Customer 2: lead on day 1. Customer 3:
    // customer before the period, dormant on day 3, back on day 4.
    const std::vector<StageChangeRow> history = {
        {3, std::nullopt, Stage::new_customer, -5 * k_day},
        {1, std::nullopt, Stage::new_lead, 0},
        {2, std::nullopt, Stage::new_lead, 1 * k_day},
        {1, Stage::new_lead, Stage::new_customer, 2 * k_day},
        {3, Stage::new_customer, Stage::dormant, 3 * k_day},
        {3, Stage::dormant, Stage::new_customer, 4 * k_day + 1},
    };
    const std::vector<std::int64_t> day_ends = {k_day, 2 * k_day, 3 * k_day, 4 * k_day, 5 * k_day};
    const FunnelOverTime report = funnel_over_time(history, 0, 5 * k_day, day_ends);
    REQUIRE(report.per_day.size() == 5);
    CHECK(report.per_day[0] == StageCounts{1, 1, 0, 0});
    CHECK(report.per_day[1] == StageCounts{2, 1, 0, 0});
    CHECK(report.per_day[2] == StageCounts{1, 2, 0, 0});
    CHECK(report.per_day[3] == StageCounts{1, 1, 0, 1});
    CHECK(report.per_day[4] == StageCounts{1, 2, 0, 0});
    CHECK(report.lead_to_customer.converted == 1);
    CHECK(report.lead_to_customer.base == 2);
    CHECK(report.lead_to_customer.rate == Approx(0.5));
    CHECK(report.to_dormant.converted == 1);
    CHECK(report.dormant_back.converted == 1);
    CHECK(report.dormant_back.rate == Approx(1.0));
    CHECK(report.transitions.at({"none", "new_lead"}) == 2);
    CHECK(report.transitions.count({"none", "new_customer"}) == 0); // before the period
}

TEST_CASE("an empty history gives zero counts and rates, never a division by zero", "[unit][console]") {
    const FunnelOverTime report = funnel_over_time({}, 0, 2 * k_day, {k_day, 2 * k_day});
    REQUIRE(report.per_day.size() == 2);
    CHECK(report.per_day[1] == StageCounts{0, 0, 0, 0});
    CHECK(report.lead_to_customer.rate == 0.0);
}

TEST_CASE("the catalog CSV reads quoted fields, a BOM, Vietnamese prices and stock words", "[unit][console]") {
    const auto parsed = products_from_csv(
        "\xEF\xBB\xBF" "SKU,Name,Price,In_Stock,Category\r\n"
        "AO-1,\"Áo thun, cổ tròn\",199.000,có,ao\r\n"
        "AO-2,\"Áo \"\"basic\"\"\nxanh\",150000,0,\r\n"
        "\r\n");
    REQUIRE(std::holds_alternative<json>(parsed));
    const json products = std::get<json>(parsed);
    REQUIRE(products.size() == 2);
    CHECK(products[0] == json{{"sku", "AO-1"}, {"name", "Áo thun, cổ tròn"}, {"price", 199000}, {"in_stock", true}, {"category", "ao"}});
    CHECK(products[1]["name"] == "Áo \"basic\"\nxanh");
    CHECK(products[1]["in_stock"] == false);
    CHECK_FALSE(products[1].contains("category"));
}

TEST_CASE("the catalog CSV names the line of a broken file", "[unit][console]") {
    auto problem = [](const std::string& text) { return std::get<CsvProblem>(products_from_csv(text)); };
    CHECK(problem("").line == 1);
    CHECK(problem("sku,colour\n").message.find("colour") != std::string::npos);
    CHECK(problem("name,price\nA,1\n").message.find("sku") != std::string::npos);
    CHECK(problem("sku,name\nA,B\nC\n").line == 3);
    CHECK(problem("sku,name\nA,\"open\n").line == 2);
    // A price that is not a number stays text, for the product check to name.
    CHECK(std::get<json>(products_from_csv("sku,name,price\nA,B,abc\n"))[0]["price"] == "abc");
}

TEST_CASE("settings are checked field by field with the field's pointer", "[unit][console]") {
    CHECK_FALSE(validate_setting("send_policy", {{"daily_cap", 3}, {"quiet_hours", {{"start", "21:30"}, {"end", "07:00"}}}}));
    CHECK(validate_setting("send_policy", {{"daily_cap", -1}})->path == "/daily_cap");
    CHECK(validate_setting("send_policy", {{"quiet_hours", {{"start", "9"}}}})->path == "/quiet_hours/start");
    CHECK(validate_setting("send_policy", {{"colour", 1}})->path == "/colour");
    CHECK(validate_setting("stage_thresholds", {{"dormant_after_days", "90"}})->path == "/dormant_after_days");
    CHECK(validate_setting("stage_tags", {{"new_lead", ""}})->path == "/new_lead");
    CHECK(validate_setting("stage_tags", {{"vip", "VIP"}})->path == "/vip");
    CHECK_FALSE(validate_setting("shop", {{"name", "Shop Hoa"}, {"hotline", "0909"}}));
    CHECK(validate_setting("shop", {{"name", 5}})->path == "/name");
    CHECK(validate_setting("zalo_templates", {{"winback", {{"template_id", ""}}}})->path == "/winback/template_id");
    CHECK(validate_setting("zalo_templates", {{"winback", {{"template_id", "1"}, {"data", {{"p", "{{#open"}}}}}})->path ==
          "/winback/data/p");
    CHECK_FALSE(validate_setting("zalo_templates", {{"winback", {{"template_id", "1"}, {"via", "zns"},
                                                                 {"data", {{"name", "{{customer.name}}"}}}}}}));
    CHECK(validate_setting("send_policy", json::array())->path.empty());
    CHECK(validate_setting("colour", json::object()));
}
