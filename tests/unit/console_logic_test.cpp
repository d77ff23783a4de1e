// The console's pure pieces: the funnel over time, the catalog's CSV reading and the
// settings schema.
#include "bot/customers/funnel_report.h"
#include "bot/playbook/product_csv.h"
#include "bot/playbook/settings_schema.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

using namespace pheu::bot;
using nlohmann::json;

namespace {
constexpr std::int64_t k_day = 24LL * 3600 * 1000;

// A stage change as stage_history records it.
struct StageChangeRow {
    std::int64_t customer_id = 0;
    std::optional<Stage> from;
    Stage to = Stage::new_lead;
    std::int64_t at = 0;
};

// The ledger the store's triggers keep, built from a whole history in time order: each
// change a step from where its customer stood just before it.
FunnelLedger ledger_of(const std::vector<StageChangeRow>& history, std::int64_t start, std::int64_t end) {
    FunnelLedger ledger;
    std::map<std::int64_t, Stage> latest;
    std::map<std::pair<std::optional<Stage>, Stage>, std::int64_t> moves;
    for (const StageChangeRow& row : history) {
        const auto before = latest.find(row.customer_id);
        const std::optional<Stage> from = before == latest.end() ? std::nullopt : std::optional<Stage>(before->second);
        if (from) {
            --ledger.standing[static_cast<std::size_t>(*from)];
        }
        ++ledger.standing[static_cast<std::size_t>(row.to)];
        latest[row.customer_id] = row.to;
        if (row.at >= start) {
            ledger.steps.push_back(FunnelStep{.at = row.at, .from = from, .to = row.to, .count = 1});
        }
        if (row.at >= start && row.at < end) {
            ++moves[{row.from, row.to}];
        }
    }
    for (const auto& [pair, count] : moves) {
        ledger.moves.push_back(FunnelMove{.from = pair.first, .to = pair.second, .count = count});
    }
    return ledger;
}

FunnelOverTime report_of(const std::vector<StageChangeRow>& history, std::int64_t start, std::int64_t end,
                         const std::vector<std::int64_t>& day_ends) {
    return funnel_over_time(ledger_of(history, start, end), start, end, day_ends);
}
} // namespace

TEST_CASE("the funnel over time counts stages at each day's end and the period's conversions", "[unit][console]") {
    // Customer 1: lead on day 0, customer on day 2. Customer 2: lead on day 1. Customer 3:
    // customer before the period, dormant on day 3, back on day 4.
    const std::vector<StageChangeRow> changes = {
        {3, std::nullopt, Stage::new_customer, -k_day},      {1, std::nullopt, Stage::new_lead, 0},
        {2, std::nullopt, Stage::new_lead, 1 * k_day},       {1, Stage::new_lead, Stage::new_customer, 2 * k_day},
        {3, Stage::new_customer, Stage::dormant, 3 * k_day}, {3, Stage::dormant, Stage::new_customer, 4 * k_day + 1},
    };
    const std::vector<std::int64_t> day_ends = {k_day, 2 * k_day, 3 * k_day, 4 * k_day, 5 * k_day};
    const FunnelOverTime report = report_of(changes, 0, 5 * k_day, day_ends);
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
    const FunnelOverTime report = report_of({}, 0, 2 * k_day, {k_day, 2 * k_day});
    REQUIRE(report.per_day.size() == 2);
    CHECK(report.per_day[1] == StageCounts{0, 0, 0, 0});
    CHECK(report.lead_to_customer.rate == 0.0);
}

TEST_CASE("customers unchanged since the start stand where they are all period", "[unit][console]") {
    // Two leads, a frequent buyer and a dormant one unchanged; customer 7, a lead, buys on day 1.
    const FunnelOverTime report = report_of({{10, std::nullopt, Stage::new_lead, -3 * k_day},
                                             {11, std::nullopt, Stage::new_lead, -3 * k_day},
                                             {12, std::nullopt, Stage::new_lead, -3 * k_day},
                                             {13, std::nullopt, Stage::new_customer, -3 * k_day},
                                             {7, std::nullopt, Stage::new_lead, -2 * k_day},
                                             {12, Stage::new_lead, Stage::frequent_buyer, -2 * k_day},
                                             {13, Stage::new_customer, Stage::dormant, -k_day},
                                             {7, Stage::new_lead, Stage::new_customer, k_day + 5}},
                                            0, 2 * k_day, {k_day, 2 * k_day});
    CHECK(report.per_day[0] == StageCounts{3, 0, 1, 1});
    CHECK(report.per_day[1] == StageCounts{2, 1, 1, 1});
    CHECK(report.lead_to_customer.converted == 1);
    CHECK(report.lead_to_customer.base == 3);
    CHECK(report.to_dormant.base == 4); // the three not dormant at the start
    CHECK(report.dormant_back.base == 1);
}

TEST_CASE("a change after the period only says where its customer stood during it", "[unit][console]") {
    const FunnelOverTime report = report_of({{5, std::nullopt, Stage::new_customer, -k_day},
                                             {5, Stage::new_customer, Stage::dormant, 3 * k_day},
                                             {5, Stage::dormant, Stage::new_customer, 4 * k_day},
                                             {6, std::nullopt, Stage::new_lead, 4 * k_day}},
                                            0, 2 * k_day, {k_day, 2 * k_day});
    CHECK(report.per_day[0] == StageCounts{0, 1, 0, 0});
    CHECK(report.per_day[1] == StageCounts{0, 1, 0, 0});
    CHECK(report.transitions.empty());
    CHECK(report.to_dormant.converted == 0);
}

TEST_CASE("a kept customer's history interleaved by a merge never counts below zero", "[unit][console]") {
    // A merge moved customer 9's rows to customer 4: two first changes for one customer.
    const FunnelOverTime report = report_of({{4, std::nullopt, Stage::new_lead, 0},
                                             {4, std::nullopt, Stage::new_lead, k_day / 2},
                                             {4, Stage::new_lead, Stage::new_customer, k_day + 1}},
                                            0, 2 * k_day, {k_day, 2 * k_day});
    CHECK(report.per_day[0] == StageCounts{1, 0, 0, 0});
    CHECK(report.per_day[1] == StageCounts{0, 1, 0, 0});
}

TEST_CASE("the report of a period equals a replay of the whole history, on random shops", "[unit][console]") {
    // The reference replays every change from the beginning and tracks each customer, the
    // slow way the report used to be computed.
    std::mt19937 random(20261202);
    for (int shop = 0; shop < 200; ++shop) {
        struct Change {
            StageChangeRow row;
            int order;
        };
        std::vector<Change> history;
        const int customers = 1 + static_cast<int>(random() % 40);
        int order = 0;
        for (int customer = 1; customer <= customers; ++customer) {
            std::optional<Stage> stage;
            std::int64_t at = -static_cast<std::int64_t>(random() % 60) * k_day;
            for (int change = 0, changes = static_cast<int>(random() % 5); change < changes; ++change) {
                Stage next = k_all_stages[random() % 4];
                if (stage && next == *stage) {
                    continue;
                }
                history.push_back({{customer, stage, next, at}, order++});
                stage = next;
                at += static_cast<std::int64_t>(random() % (9 * k_day)) + (random() % 2 ? 0 : k_day / 2);
            }
        }
        std::sort(history.begin(), history.end(), [](const Change& a, const Change& b) {
            return a.row.at != b.row.at ? a.row.at < b.row.at : a.order < b.order;
        });
        const std::int64_t start = static_cast<std::int64_t>(random() % 20) * k_day - 10 * k_day;
        const int days = 1 + static_cast<int>(random() % 30);
        const std::int64_t end = start + days * k_day;
        std::vector<std::int64_t> day_ends;
        for (int day = 1; day <= days; ++day) {
            day_ends.push_back(start + day * k_day);
        }
        // Where every customer stands before a moment, by the whole history.
        auto counts_before = [&](std::int64_t moment) {
            std::map<std::int64_t, Stage> stage_of;
            for (const auto& change : history) {
                if (change.row.at < moment) {
                    stage_of[change.row.customer_id] = change.row.to;
                }
            }
            StageCounts counts{};
            for (const auto& [customer, stage] : stage_of) {
                ++counts[static_cast<std::size_t>(stage)];
            }
            return counts;
        };
        std::vector<StageChangeRow> rows;
        std::map<std::pair<std::string, std::string>, std::int64_t> transitions;
        for (const auto& change : history) {
            rows.push_back(change.row);
            if (change.row.at >= start && change.row.at < end) {
                ++transitions[{change.row.from ? stage_id(*change.row.from) : "none", stage_id(change.row.to)}];
            }
        }
        const FunnelOverTime report = report_of(rows, start, end, day_ends);
        INFO("shop " << shop);
        REQUIRE(report.per_day.size() == day_ends.size());
        for (std::size_t day = 0; day < day_ends.size(); ++day) {
            CHECK(report.per_day[day] == counts_before(day_ends[day]));
        }
        CHECK(report.transitions == transitions);
        const StageCounts at_start = counts_before(start);
        std::int64_t entered_leads = 0;
        for (const auto& [pair, count] : transitions) {
            entered_leads += pair.second == "new_lead" ? count : 0;
        }
        CHECK(report.lead_to_customer.base == at_start[0] + entered_leads);
    }
}

TEST_CASE("the catalog CSV reads quoted fields, a BOM, Vietnamese prices and stock words", "[unit][console]") {
    const auto parsed = products_from_csv("\xEF\xBB\xBF"
                                          "SKU,Name,Price,In_Stock,Category\r\n"
                                          "AO-1,\"Áo thun, cổ tròn\",199.000,có,ao\r\n"
                                          "AO-2,\"Áo \"\"basic\"\"\nxanh\",150000,0,\r\n"
                                          "\r\n");
    REQUIRE(std::holds_alternative<CsvProducts>(parsed));
    const json products = std::get<CsvProducts>(parsed).products;
    REQUIRE(products.size() == 2);
    // The second product spans lines 3 and 4 of the file; it starts on line 3.
    CHECK(std::get<CsvProducts>(parsed).lines == std::vector<std::size_t>{2, 3});
    CHECK(
        products[0] ==
        json{{"sku", "AO-1"}, {"name", "Áo thun, cổ tròn"}, {"price", 199000}, {"in_stock", true}, {"category", "ao"}});
    CHECK(products[1]["name"] == "Áo \"basic\"\nxanh");
    CHECK(products[1]["in_stock"] == false);
    CHECK_FALSE(products[1].contains("category"));
}

TEST_CASE("the catalog CSV names the line of a broken file", "[unit][console]") {
    auto problem = [](const std::string& text) { return std::get<pheu::common::InputError>(products_from_csv(text)); };
    CHECK(problem("").line == 1);
    CHECK(problem("sku,colour\n").message.find("colour") != std::string::npos);
    CHECK(problem("name,price\nA,1\n").message.find("sku") != std::string::npos);
    CHECK(problem("sku,name\nA,B\nC\n").line == 3);
    CHECK(problem("sku,name\nA,\"open\n").line == 2);
    // A price that is not a number stays text, for the product check to name.
    CHECK(std::get<CsvProducts>(products_from_csv("sku,name,price\nA,B,abc\n")).products[0]["price"] == "abc");
}

TEST_CASE("a catalog saved by Excel in Vietnam: semicolons, TRUE/FALSE, 199.000 and 199,000", "[unit][console]") {
    const auto parsed = products_from_csv("\xEF\xBB\xBF"
                                          "sku;name;price;in_stock\r\n"
                                          "AO-1;Áo thun, cổ tròn;199.000;TRUE\r\n"
                                          "AO-2;Quần jean;1,299,000;FALSE\r\n"
                                          "AO-3;Nón;99000đ;true\r\n");
    REQUIRE(std::holds_alternative<CsvProducts>(parsed));
    const json products = std::get<CsvProducts>(parsed).products;
    REQUIRE(products.size() == 3);
    CHECK(products[0]["name"] == "Áo thun, cổ tròn");
    CHECK(products[0]["price"] == 199000);
    CHECK(products[0]["in_stock"] == true);
    CHECK(products[1]["price"] == 1299000);
    CHECK(products[1]["in_stock"] == false);
    CHECK(products[2]["price"] == 99000);
    CHECK(parse_vn_amount("199,5") == std::nullopt);
    CHECK(parse_vn_amount("1.99.000") == std::nullopt);
    CHECK(parse_vn_amount("12") == 12);
}

TEST_CASE("settings are checked field by field with the field's pointer", "[unit][console]") {
    CHECK_FALSE(
        validate_setting("send_policy", {{"daily_cap", 3}, {"quiet_hours", {{"start", "21:30"}, {"end", "07:00"}}}}));
    CHECK(validate_setting("send_policy", {{"daily_cap", -1}})->path == "/daily_cap");
    CHECK(validate_setting("send_policy", {{"quiet_hours", {{"start", "9"}}}})->path == "/quiet_hours/start");
    CHECK(validate_setting("send_policy", {{"colour", 1}})->path == "/colour");
    CHECK(validate_setting("stage_thresholds", {{"dormant_after_days", "90"}})->path == "/dormant_after_days");
    CHECK(validate_setting("stage_tags", {{"new_lead", ""}})->path == "/new_lead");
    CHECK(validate_setting("stage_tags", {{"vip", "VIP"}})->path == "/vip");
    CHECK_FALSE(validate_setting("shop", {{"name", "Shop Hoa"}, {"hotline", "0909"}}));
    CHECK(validate_setting("shop", {{"name", 5}})->path == "/name");
    CHECK(validate_setting("zalo_templates", {{"winback", {{"template_id", ""}}}})->path == "/winback/template_id");
    CHECK(
        validate_setting("zalo_templates", {{"winback", {{"template_id", "1"}, {"data", {{"p", "{{#open"}}}}}})->path ==
        "/winback/data/p");
    CHECK_FALSE(validate_setting(
        "zalo_templates",
        {{"winback", {{"template_id", "1"}, {"via", "zns"}, {"data", {{"name", "{{customer.name}}"}}}}}}));
    CHECK(validate_setting("send_policy", json::array())->path.empty());
    CHECK(validate_setting("colour", json::object()));
}

TEST_CASE("transitions are the rows' own: a merged customer's two histories pair no changes", "[unit][console]") {
    // Two people, merged into customer 7: each became a customer from lead; their rows interleave.
    const std::vector<StageChangeRow> changes = {
        {7, std::nullopt, Stage::new_lead, 10},
        {7, std::nullopt, Stage::new_lead, 20},
        {7, Stage::new_lead, Stage::new_customer, 30},
        {7, Stage::new_lead, Stage::new_customer, 40},
    };
    const auto report = report_of(changes, 0, 100, {100});
    CHECK(report.transitions.at({"none", "new_lead"}) == 2);
    CHECK(report.transitions.at({"new_lead", "new_customer"}) == 2);
    CHECK(report.transitions.count({"new_customer", "new_customer"}) == 0);
    CHECK(report.transitions.count({"new_lead", "new_lead"}) == 0);
}
