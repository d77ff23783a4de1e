#include "handlers/admin/reports_handler.h"

#include "bot/customers/funnel_report.h"
#include "bot/customers/stage_engine.h"
#include "bot/playbook/attribution.h"
#include "bot/playbook/messaging_settings.h"
#include "bot/stage.h"
#include "common/time_format.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/read_pool.h"
#include "store/report_queries.h"
#include "store/message_results.h"
#include "store/settings_store.h"
#include "store/survey_store.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <variant>

namespace pheu::handlers {

using nlohmann::json;

namespace {

constexpr int k_default_days = 30;
constexpr int k_max_days = 366;

// A trigger's or a template's row of the messages report.
json outcomes_json(const bot::MessageOutcomes& outcomes) {
    json lift = nullptr;
    if (outcomes.lift) {
        lift = {{"treatment_rate", outcomes.lift->treatment_rate},
                {"control_rate", outcomes.lift->control_rate},
                {"lift", outcomes.lift->lift},
                {"low", outcomes.lift->low},
                {"high", outcomes.lift->high}};
    }
    return {{"sent", outcomes.sent},
            {"delivered", outcomes.delivered},
            {"seen", outcomes.seen},
            {"clicked", outcomes.clicked},
            {"converted", outcomes.converted},
            {"revenue", outcomes.revenue},
            {"cost_vnd", outcomes.cost_vnd},
            {"sent_converted", outcomes.sent_customers_converted},
            {"lift", lift}};
}

std::optional<common::LocalDate> parse_day(const std::string& text) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &extra) != 3 || month < 1 || month > 12 ||
        day < 1 || day > 31) {
        return std::nullopt;
    }
    return common::LocalDate{year, month, day};
}

std::string day_text(const common::LocalDate& date) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", date.year % 10000, date.month % 100, date.day % 100);
    return text;
}

json stage_object(const bot::StageCounts& counts) {
    json stages = json::object();
    for (bot::Stage stage : bot::k_all_stages) {
        stages[bot::stage_id(stage)] = counts[static_cast<std::size_t>(stage)];
    }
    return stages;
}

bot::StageCounts stage_counts(const std::map<std::string, std::int64_t>& by_id) {
    bot::StageCounts counts{};
    for (const auto& [id, count] : by_id) {
        if (const auto stage = bot::parse_stage(id)) {
            counts[static_cast<std::size_t>(*stage)] = count;
        }
    }
    return counts;
}

struct StepStages {
    std::optional<bot::Stage> from; // none for a first stage
    bot::Stage to;
};

// A ledger row's stages ("" for none); nothing for a row naming a stage pheu does not know
// (never written).
std::optional<StepStages> stages_of(const store::FunnelStepRow& row) {
    const auto to = bot::parse_stage(row.to_stage);
    if (!to) {
        return std::nullopt;
    }
    if (row.from_stage.empty()) {
        return StepStages{.from = std::nullopt, .to = *to};
    }
    const auto from = bot::parse_stage(row.from_stage);
    return from ? std::optional<StepStages>(StepStages{.from = from, .to = *to}) : std::nullopt;
}

bot::FunnelLedger funnel_ledger(store::ReportQueries& reports, std::int64_t period_start, std::int64_t period_end) {
    bot::FunnelLedger ledger{.standing = stage_counts(reports.funnel_standing())};
    for (const store::FunnelStepRow& row : reports.funnel_steps_since(period_start)) {
        if (const auto stages = stages_of(row)) {
            ledger.steps.push_back(
                bot::FunnelStep{.at = row.slot, .from = stages->from, .to = stages->to, .count = row.count});
        }
    }
    for (const store::FunnelStepRow& row : reports.funnel_moves(period_start, period_end)) {
        if (const auto stages = stages_of(row)) {
            ledger.moves.push_back(bot::FunnelMove{.from = stages->from, .to = stages->to, .count = row.count});
        }
    }
    return ledger;
}

json conversion_json(const bot::Conversion& conversion) {
    return {{"converted", conversion.converted}, {"base", conversion.base}, {"rate", conversion.rate}};
}

} // namespace

ReportsHandler::ReportsHandler(store::ReadPool& reads, const std::string& zone_name,
                               std::function<std::int64_t()> clock)
    : m_reads(reads), m_zone(zone_name), m_clock(std::move(clock)) {}

std::variant<ReportsHandler::Period, HttpReply> ReportsHandler::period_of(const HttpRequestView& request,
                                                                          std::int64_t now) const {
    const common::LocalDate today = m_zone.local_date(now);
    std::optional<common::LocalDate> to = today;
    if (const std::string text = request.query("to"); !text.empty()) {
        to = parse_day(text);
        if (!to) {
            return json_error(400, "invalid_query", "to must be a date as YYYY-MM-DD.", "to");
        }
    }
    const std::int64_t period_end = m_zone.next_local_time(m_zone.utc_of(*to, 0) + 1, 0); // the next midnight
    std::int64_t period_start = period_end - static_cast<std::int64_t>(k_default_days) * bot::k_day_ms;
    if (const std::string text = request.query("from"); !text.empty()) {
        const auto from = parse_day(text);
        if (!from) {
            return json_error(400, "invalid_query", "from must be a date as YYYY-MM-DD.", "from");
        }
        period_start = m_zone.utc_of(*from, 0);
    }
    if (period_start >= period_end || period_end - period_start > k_max_days * bot::k_day_ms + 2 * 3600 * 1000) {
        return json_error(400, "invalid_query", "The period runs from from to to, at most 366 days.", "from");
    }
    return Period{.start = period_start, .end = period_end};
}

HttpReply ReportsHandler::funnel(const HttpRequestView& request) const {
    const std::int64_t now = m_clock();
    const auto period = period_of(request, now);
    if (const auto* reply = std::get_if<HttpReply>(&period)) {
        return *reply;
    }
    const std::int64_t period_start = std::get<Period>(period).start;
    const std::int64_t period_end = std::get<Period>(period).end;
    std::vector<std::int64_t> day_ends;
    for (std::int64_t end = m_zone.next_local_time(period_start + 1, 0); end <= period_end;
         end = m_zone.next_local_time(end + 1, 0)) {
        day_ends.push_back(end);
    }

    auto lease = m_reads.lease();
    // One snapshot for the whole report, so its figures agree with each other.
    store::sql::Transaction snapshot(lease.db(), store::sql::Transaction::Intent::read);
    store::ReportQueries reports(lease.db());
    const bot::FunnelOverTime over_time =
        bot::funnel_over_time(funnel_ledger(reports, period_start, period_end), period_start, period_end, day_ends);
    const bot::StageCounts now_counts = stage_counts(reports.customers_by_stage());
    json stages = stage_object(now_counts);
    std::int64_t total = 0;
    for (const std::int64_t count : now_counts) {
        total += count;
    }
    json per_day = json::array();
    for (std::size_t i = 0; i < day_ends.size(); ++i) {
        per_day.push_back(
            {{"date", day_text(m_zone.local_date(day_ends[i] - 1))}, {"stages", stage_object(over_time.per_day[i])}});
    }
    json transitions = json::array();
    for (const auto& [pair, count] : over_time.transitions) {
        transitions.push_back({{"from", pair.first}, {"to", pair.second}, {"count", count}});
    }
    json vouchers = json::array();
    for (const auto& row : reports.vouchers(period_start, period_end)) {
        vouchers.push_back(
            {{"campaign", row.campaign},
             {"issued", row.issued},
             {"redeemed", row.redeemed},
             {"rate", row.issued > 0 ? static_cast<double>(row.redeemed) / static_cast<double>(row.issued) : 0.0}});
    }
    json revenue = json::object();
    for (bot::Stage stage : bot::k_all_stages) {
        revenue[bot::stage_id(stage)] = 0;
    }
    for (const auto& [stage, amount] : reports.revenue_by_stage(period_start, period_end)) {
        revenue[stage] = amount;
    }
    const store::CartFigures carts = reports.carts(period_start, period_end);
    json surveys = json::object();
    for (const auto& [survey, answers] : store::SurveyStore(lease.db()).counts(period_start, period_end)) {
        for (const auto& [answer, count] : answers) {
            surveys[survey][std::to_string(answer)] = count;
        }
    }
    return ok_json({
        {"stages", stages},
        {"total", total},
        {"generated_at", common::format_rfc3339_utc(now)},
        {"period",
         {{"from", day_text(m_zone.local_date(period_start))}, {"to", day_text(m_zone.local_date(period_end - 1))}}},
        {"per_day", per_day},
        {"transitions", transitions},
        {"conversion",
         {{"lead_to_customer", conversion_json(over_time.lead_to_customer)},
          {"customer_to_frequent", conversion_json(over_time.customer_to_frequent)},
          {"to_dormant", conversion_json(over_time.to_dormant)},
          {"dormant_back", conversion_json(over_time.dormant_back)}}},
        {"vouchers", vouchers},
        {"revenue_by_stage", revenue},
        {"messages",
         {{"by_status", reports.messages_by_status(period_start, period_end)},
          {"by_reason", reports.messages_by_reason(period_start, period_end)}}},
        {"carts",
         {{"reminded", carts.reminded},
          {"recovered", carts.recovered},
          {"rate",
           carts.reminded > 0 ? static_cast<double>(carts.recovered) / static_cast<double>(carts.reminded) : 0.0}}},
        {"surveys", surveys},
    });
}

HttpReply ReportsHandler::messages(const HttpRequestView& request) const {
    const auto period = period_of(request, m_clock());
    if (const auto* reply = std::get_if<HttpReply>(&period)) {
        return *reply;
    }
    const auto [start, end] = std::get<Period>(period);
    auto lease = m_reads.lease();
    store::sql::Transaction snapshot(lease.db(), store::sql::Transaction::Intent::read);
    store::SettingsStore settings(lease.db());
    const int window_days = bot::load_attribution_days(settings);
    store::MessageResults results(lease.db());
    const std::int64_t window_ms = window_days * bot::k_day_ms;
    json items = json::array();
    for (const auto& row : bot::message_report(results.counts(start, end, window_ms),
                                               results.attribution_facts(start, end, window_ms), window_ms)) {
        json item = outcomes_json(row.outcomes);
        item["trigger"] = row.trigger;
        item["held_out"] = row.held_out;
        item["control_converted"] = row.control_converted;
        item["templates"] = json::array();
        for (const auto& variant : row.templates) {
            json entry = outcomes_json(variant.outcomes);
            entry["template"] = variant.template_id;
            item["templates"].push_back(std::move(entry));
        }
        items.push_back(std::move(item));
    }
    return ok_json({{"from", day_text(m_zone.local_date(start))},
                    {"to", day_text(m_zone.local_date(end - 1))},
                    {"attribution_window_days", window_days},
                    {"items", items}});
}

} // namespace pheu::handlers
