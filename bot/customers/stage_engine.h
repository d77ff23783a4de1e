#pragma once
// The stage engine: a pure function from a customer's facts, the shop's thresholds and the
// current time to a stage, and to the next moment the stage could change with no new event.
#include "bot/stage.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pheu::bot {

inline constexpr std::int64_t k_day_ms = 24LL * 60 * 60 * 1000;

struct StageThresholds {
    int frequent_min_orders = 3;             // frequent_buyer from this many orders…
    std::int64_t frequent_window_days = 180; // …placed within this many days
    std::int64_t dormant_after_days = 90;    // dormant once the last order is older than this…
    std::int64_t dormant_quiet_days = 30;    // …and nothing was heard from the customer for this long
};

struct OrderFact {
    std::int64_t placed_at = 0;
    bool cancelled = false;
};

// What stages are decided from. Orders are keyed by order_id, so a redelivered order counts
// once, and facts from two sources merge by union.
struct StageFacts {
    std::map<std::string, OrderFact> orders;
    std::optional<std::int64_t> last_interaction_at; // any inbound event from the customer
};

// Joins the facts of two customers found to be one person.
StageFacts merge_facts(const StageFacts& a, const StageFacts& b);

struct StageDecision {
    Stage stage = Stage::new_lead;
    // The earliest moment after `now` at which the stage changes by time alone; nullopt
    // when only a new event can change it.
    std::optional<std::int64_t> next_check_at;
    std::string reason; // a short sentence for stage_history
    // When, by the events' own times, the stage began to hold: the order that made the
    // customer frequent, the moment a quiet spell made them dormant. At most `now`; for a
    // new lead, `now`. Stage history is dated by it, and only a stage entered recently runs
    // its rules (a backfilled history messages nobody).
    std::int64_t since = 0;
};

// Rules (docs/decisions.md, "Stages"): no valid order → new_lead; dormant once the last
// order is more than dormant_after_days old and the last interaction at least
// dormant_quiet_days old; else frequent_buyer with frequent_min_orders orders within the
// last frequent_window_days (inclusive); else new_customer. Dormant wins over frequent.
StageDecision decide_stage(const StageFacts& facts, const StageThresholds& thresholds, std::int64_t now);

// Inside new_lead: how warm the lead is, so cold leads get slower care.
enum class LeadTemperature { hot, warm, cold };
const char* temperature_id(LeadTemperature temperature);
// hot: interacted within 3 days and at least 3 times in all; warm: within 14 days; else cold.
inline constexpr std::int64_t k_hot_within_days = 3;
inline constexpr std::int64_t k_hot_min_interactions = 3;
inline constexpr std::int64_t k_warm_within_days = 14;
LeadTemperature lead_temperature(std::optional<std::int64_t> last_interaction_at, std::int64_t interaction_count,
                                 std::int64_t now);

} // namespace pheu::bot
