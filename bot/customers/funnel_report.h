#pragma once
// The funnel over time: how many customers stood in each stage at the end of each day, which
// transitions happened in the period, and the conversion rates the retail playbook watches.
// Pure: stage changes and moments in, figures out.
//
// It replays only the changes made since the period began, so a report costs what the
// period holds, not the shop's whole history. Where each customer stood when the period
// began follows from two facts the stage keeper maintains: a customer whose stage has not
// changed since then stands where it stands now, and every other customer stood where its
// first change since then came from.
#include "bot/stage.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
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
    std::vector<StageCounts> per_day;                                        // at each of the day ends given
    std::map<std::pair<std::string, std::string>, std::int64_t> transitions; // ("none" for a first stage)
    Conversion lead_to_customer;                                             // new_lead → new_customer
    Conversion customer_to_frequent;                                         // new_customer → frequent_buyer
    Conversion to_dormant;                                                   // any stage → dormant
    Conversion dormant_back;                                                 // dormant → any other stage (won back)
};

// Feed it every change made at or after `period_start` (those after `period_end` too, which
// only tell where their customer stood at the start), in time order, then call finish().
class FunnelReplay {
public:
    // `unchanged` counts, by their stage now, the customers with no change since the start.
    // `day_ends` ascending, each within (period_start, period_end].
    FunnelReplay(std::int64_t period_start, std::int64_t period_end, std::vector<std::int64_t> day_ends,
                 const StageCounts& unchanged);

    void add(const StageChangeRow& row);
    FunnelOverTime finish();

private:
    // A customer's stage as the replay stands, 0 for none yet. Customer ids are dense row
    // ids, so a byte per id is both the smallest and the fastest map; ids beyond the
    // bound (never in practice) go to the hash map.
    std::uint8_t& slot_of(std::int64_t customer_id);
    void close_days_until(std::int64_t moment);

    std::int64_t m_start;
    std::int64_t m_end;
    std::vector<std::int64_t> m_day_ends;
    std::vector<std::uint8_t> m_dense;
    std::unordered_map<std::int64_t, std::uint8_t> m_sparse;
    StageCounts m_at_start;
    std::array<std::int64_t, 4> m_change{}; // net change of each stage since the start
    std::vector<std::array<std::int64_t, 4>> m_change_at_day_end;
    StageCounts m_entered{}; // entries into each stage during the period
    // Transitions by [from + 1, 0 for none][to]; named only in finish(), as strings per row
    // would cost more than the rest of the replay.
    std::array<std::array<std::int64_t, 4>, 5> m_transitions{};
    std::int64_t m_became_active = 0; // first stage in the period, other than dormant
    FunnelOverTime m_report;
};

} // namespace pheu::bot
