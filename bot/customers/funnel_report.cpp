#include "bot/customers/funnel_report.h"

namespace pheu::bot {

namespace {

std::size_t index_of(Stage stage) {
    return static_cast<std::size_t>(stage);
}

Conversion conversion(std::int64_t converted, std::int64_t base) {
    return Conversion{.converted = converted,
                      .base = base,
                      .rate = base > 0 ? static_cast<double>(converted) / static_cast<double>(base) : 0.0};
}

void apply(StageCounts& counts, const FunnelStep& step, std::int64_t sign) {
    if (step.from) {
        counts[index_of(*step.from)] -= sign * step.count;
    }
    counts[index_of(step.to)] += sign * step.count;
}

} // namespace

FunnelOverTime funnel_over_time(const FunnelLedger& ledger, std::int64_t period_start, std::int64_t period_end,
                                const std::vector<std::int64_t>& day_ends) {
    // Where everyone stood at the start: where they stand now, less every step since.
    StageCounts at_start = ledger.standing;
    for (const FunnelStep& step : ledger.steps) {
        if (step.at >= period_start) {
            apply(at_start, step, -1);
        }
    }
    FunnelOverTime report;
    StageCounts standing = at_start;
    std::int64_t became_active = 0; // a first stage in the period, other than dormant
    auto next_step = ledger.steps.begin();
    auto step_until = [&](std::int64_t moment) {
        for (; next_step != ledger.steps.end() && next_step->at < moment; ++next_step) {
            if (next_step->at < period_start) {
                continue;
            }
            apply(standing, *next_step, 1);
            if (!next_step->from && next_step->to != Stage::dormant) {
                became_active += next_step->count;
            }
        }
    };
    for (const std::int64_t day_end : day_ends) {
        step_until(day_end);
        report.per_day.push_back(standing);
    }
    step_until(period_end);

    StageCounts entered{};
    std::int64_t into_dormant = 0;
    std::int64_t out_of_dormant = 0;
    for (const FunnelMove& move : ledger.moves) {
        if (move.count == 0) {
            continue;
        }
        report.transitions[{move.from ? stage_id(*move.from) : "none", stage_id(move.to)}] += move.count;
        entered[index_of(move.to)] += move.count;
        into_dormant += move.to == Stage::dormant && move.from != Stage::dormant ? move.count : 0;
        out_of_dormant += move.from == Stage::dormant && move.to != Stage::dormant ? move.count : 0;
    }
    auto transitions = [&](Stage from, Stage to) {
        const auto found = report.transitions.find({stage_id(from), stage_id(to)});
        return found == report.transitions.end() ? std::int64_t{0} : found->second;
    };
    std::int64_t not_dormant_at_start = 0;
    for (Stage stage : k_all_stages) {
        not_dormant_at_start += stage != Stage::dormant ? at_start[index_of(stage)] : 0;
    }
    const auto lead = index_of(Stage::new_lead);
    const auto customer = index_of(Stage::new_customer);
    const auto dormant = index_of(Stage::dormant);
    report.lead_to_customer =
        conversion(transitions(Stage::new_lead, Stage::new_customer), at_start[lead] + entered[lead]);
    report.customer_to_frequent =
        conversion(transitions(Stage::new_customer, Stage::frequent_buyer), at_start[customer] + entered[customer]);
    report.to_dormant = conversion(into_dormant, not_dormant_at_start + became_active);
    report.dormant_back = conversion(out_of_dormant, at_start[dormant] + entered[dormant]);
    return report;
}

} // namespace pheu::bot
