#pragma once
// The funnel over time, from the stage history: how many customers stood in each stage at
// the end of each day, which transitions happened in the period, and the conversion rates
// the retail playbook watches. Pure: history rows and moments in, figures out.
#include "bot/stage.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pheu::bot {

struct StageChangeRow {
    std::int64_t customer_id = 0;
    std::optional<Stage> from;
    Stage to = Stage::new_lead;
    std::int64_t at = 0;
};

using StageCounts = std::array<std::int64_t, 4>; // indexed by Stage

struct Conversion {
    std::int64_t converted = 0; // customers who made the transition in the period
    std::int64_t base = 0;      // customers who could have: in the stage at the start, or entering it
    double rate = 0.0;          // converted / base, 0 when there is no base
};

struct FunnelOverTime {
    std::vector<StageCounts> per_day; // at each of the day ends given
    std::map<std::pair<std::string, std::string>, std::int64_t> transitions; // ("none" for a first stage)
    Conversion lead_to_customer;      // new_lead → new_customer
    Conversion customer_to_frequent;  // new_customer → frequent_buyer
    Conversion to_dormant;            // any stage → dormant
    Conversion dormant_back;          // dormant → any other stage (won back)
};

// `history` in time order, every change up to `period_end`; `day_ends` ascending.
FunnelOverTime funnel_over_time(const std::vector<StageChangeRow>& history, std::int64_t period_start,
                                std::int64_t period_end, const std::vector<std::int64_t>& day_ends);

} // namespace pheu::bot
