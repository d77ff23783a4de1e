#include "bot/funnel_report.h"

#include <unordered_map>

namespace pheu::bot {

namespace {

std::size_t index_of(Stage stage) {
    return static_cast<std::size_t>(stage);
}

Conversion conversion(std::int64_t converted, std::int64_t base) {
    return Conversion{converted, base, base > 0 ? static_cast<double>(converted) / static_cast<double>(base) : 0.0};
}

} // namespace

FunnelOverTime funnel_over_time(const std::vector<StageChangeRow>& history, std::int64_t period_start,
                                std::int64_t period_end, const std::vector<std::int64_t>& day_ends) {
    FunnelOverTime report;
    std::unordered_map<std::int64_t, Stage> stage_of;
    StageCounts counts{};
    StageCounts at_start{};
    StageCounts entered{};           // entries into each stage during the period
    std::int64_t not_dormant_at_start = 0;
    std::int64_t became_active = 0;  // entered a stage other than dormant during the period, from nothing
    std::size_t next_day = 0;
    bool started = false;
    auto snapshot_until = [&](std::int64_t moment) {
        while (next_day < day_ends.size() && day_ends[next_day] <= moment) {
            report.per_day.push_back(counts);
            ++next_day;
        }
    };
    for (const auto& row : history) {
        if (row.at > period_end) {
            break;
        }
        if (!started && row.at >= period_start) {
            at_start = counts;
            started = true;
        }
        // A day ends just before its end moment: a change at that moment is the next day's.
        while (next_day < day_ends.size() && day_ends[next_day] <= row.at) {
            report.per_day.push_back(counts);
            ++next_day;
        }
        auto known = stage_of.find(row.customer_id);
        const std::optional<Stage> before = known == stage_of.end() ? std::nullopt : std::optional<Stage>(known->second);
        if (before) {
            --counts[index_of(*before)];
        }
        ++counts[index_of(row.to)];
        stage_of[row.customer_id] = row.to;
        if (row.at >= period_start) {
            ++entered[index_of(row.to)];
            const std::string from = before ? stage_id(*before) : "none";
            ++report.transitions[{from, stage_id(row.to)}];
            if (!before && row.to != Stage::dormant) {
                ++became_active;
            }
        }
    }
    if (!started) {
        at_start = counts;
    }
    snapshot_until(period_end);
    while (report.per_day.size() < day_ends.size()) {
        report.per_day.push_back(counts);
    }
    for (Stage stage : k_all_stages) {
        if (stage != Stage::dormant) {
            not_dormant_at_start += at_start[index_of(stage)];
        }
    }
    auto transitions = [&](const char* from, const char* to) {
        auto found = report.transitions.find({from, to});
        return found == report.transitions.end() ? std::int64_t{0} : found->second;
    };
    const auto lead = index_of(Stage::new_lead);
    const auto customer = index_of(Stage::new_customer);
    const auto dormant = index_of(Stage::dormant);
    report.lead_to_customer = conversion(transitions("new_lead", "new_customer"), at_start[lead] + entered[lead]);
    report.customer_to_frequent = conversion(transitions("new_customer", "frequent_buyer"), at_start[customer] + entered[customer]);
    std::int64_t into_dormant = 0;
    std::int64_t out_of_dormant = 0;
    for (const auto& [pair, count] : report.transitions) {
        if (pair.second == "dormant" && pair.first != "dormant") {
            into_dormant += count;
        }
        if (pair.first == "dormant" && pair.second != "dormant") {
            out_of_dormant += count;
        }
    }
    report.to_dormant = conversion(into_dormant, not_dormant_at_start + became_active);
    report.dormant_back = conversion(out_of_dormant, at_start[dormant] + entered[dormant]);
    return report;
}

} // namespace pheu::bot
