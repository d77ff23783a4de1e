#pragma once
// The funnel over time: how many customers stood in each stage at the end of each day, which
// transitions happened in the period, and the conversion rates the retail playbook watches.
// Pure: the funnel ledger's sums in, figures out.
//
// The ledger (store/funnel_ledger.h) keeps every stage change as it is written, in slots of
// a quarter of an hour: as a step from where its customer stood just before it, and as the
// move it records. Where every customer stands now, less the steps since a moment, is where
// they stood at that moment; so a report costs the slots in its period, not the shop's
// history or its customers.
#include "bot/stage.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pheu::bot {

using StageCounts = std::array<std::int64_t, 4>; // indexed by Stage

// Customers who stepped from one stage (none for a first stage) to another in a slot.
struct FunnelStep {
    std::int64_t at = 0; // the slot's start; every change counted in it is at or after it
    std::optional<Stage> from;
    Stage to = Stage::new_lead;
    std::int64_t count = 0;
};

// Changes in the period as their rows record them (from none for a first stage).
struct FunnelMove {
    std::optional<Stage> from;
    Stage to = Stage::new_lead;
    std::int64_t count = 0;
};

struct FunnelLedger {
    StageCounts standing{};          // every customer ever staged, by their latest stage
    std::vector<FunnelStep> steps{}; // every step at or after the period's start, by `at`
    std::vector<FunnelMove> moves{}; // the changes made in the period
};

struct Conversion {
    std::int64_t converted = 0; // customers who made the transition in the period
    std::int64_t base = 0;      // customers who could have: in the stage at the start, or entering it
    double rate = 0.0;          // converted / base, 0 when there is no base
};

struct FunnelOverTime {
    std::vector<StageCounts> per_day;                                        // at each of the day ends given
    std::map<std::pair<std::string, std::string>, std::int64_t> transitions; // ("none" for a first stage)
    Conversion lead_to_customer;                                             // new_lead → new_customer
    Conversion customer_to_frequent;                                         // new_customer → frequent_buyer
    Conversion to_dormant;                                                   // any stage → dormant
    Conversion dormant_back;                                                 // dormant → any other stage (won back)
};

// The period is [period_start, period_end); `day_ends` ascending, each within
// (period_start, period_end]. A day ends just before its end moment: a change at that
// moment is the next day's.
FunnelOverTime funnel_over_time(const FunnelLedger& ledger, std::int64_t period_start, std::int64_t period_end,
                                const std::vector<std::int64_t>& day_ends);

} // namespace pheu::bot
