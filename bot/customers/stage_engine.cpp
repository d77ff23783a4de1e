#include "bot/customers/stage_engine.h"

#include <algorithm>
#include <functional>
#include <vector>

namespace pheu::bot {

StageFacts merge_facts(const StageFacts& a, const StageFacts& b) {
    StageFacts merged = a;
    for (const auto& [order_id, order] : b.orders) {
        auto [it, inserted] = merged.orders.emplace(order_id, order);
        if (!inserted) {
            // One order seen by both: a cancellation anywhere cancels it.
            it->second.cancelled = it->second.cancelled || order.cancelled;
            it->second.placed_at = std::min(it->second.placed_at, order.placed_at);
        }
    }
    if (b.last_interaction_at &&
        (!merged.last_interaction_at || *b.last_interaction_at > *merged.last_interaction_at)) {
        merged.last_interaction_at = b.last_interaction_at;
    }
    return merged;
}

StageDecision decide_stage(const StageFacts& facts, const StageThresholds& thresholds, std::int64_t now) {
    std::vector<std::int64_t> placed; // valid orders, newest first
    for (const auto& [order_id, order] : facts.orders) {
        if (!order.cancelled) {
            placed.push_back(order.placed_at);
        }
    }
    std::sort(placed.begin(), placed.end(), std::greater<>());
    StageDecision decision;
    decision.since = now;
    if (placed.empty()) {
        decision.stage = Stage::new_lead;
        decision.reason = "no order yet";
        return decision;
    }

    const std::int64_t last_order = placed.front();
    // A purchase is an interaction too, whatever was recorded separately.
    const std::int64_t last_activity = std::max(facts.last_interaction_at.value_or(last_order), last_order);
    const std::int64_t dormant_from = std::max(last_order + thresholds.dormant_after_days * k_day_ms + 1,
                                               last_activity + thresholds.dormant_quiet_days * k_day_ms);
    const std::int64_t window_start = now - thresholds.frequent_window_days * k_day_ms;
    const auto min_orders = static_cast<std::size_t>(std::max(thresholds.frequent_min_orders, 1));
    const auto in_window = static_cast<std::size_t>(
        std::count_if(placed.begin(), placed.end(), [&](std::int64_t at) { return at >= window_start; }));

    auto consider_next = [&](std::int64_t moment) {
        if (moment > now && (!decision.next_check_at || moment < *decision.next_check_at)) {
            decision.next_check_at = moment;
        }
    };

    if (now >= dormant_from) {
        decision.stage = Stage::dormant;
        decision.since = std::min(dormant_from, now);
        decision.reason = "last order " + std::to_string((now - last_order) / k_day_ms) + " days ago, silent for " +
                          std::to_string((now - last_activity) / k_day_ms) + " days";
        return decision; // only a new event brings a dormant customer back
    }
    consider_next(dormant_from);
    if (in_window >= min_orders) {
        decision.stage = Stage::frequent_buyer;
        // The order that made the count: with orders newest first, the one min_orders-1
        // places older than the oldest in the window would be, i.e. placed[in_window - min].
        decision.since = std::min(placed[in_window - min_orders], now);
        decision.reason = std::to_string(in_window) + " orders in the last " +
                          std::to_string(thresholds.frequent_window_days) + " days";
        // Frequent until the min_orders-th newest order leaves the window.
        consider_next(placed[min_orders - 1] + thresholds.frequent_window_days * k_day_ms + 1);
    } else {
        decision.stage = Stage::new_customer;
        // Since the first order of the current spell: a gap long enough to have made them
        // dormant starts a new one (a customer who came back is a new customer again).
        std::size_t first = 0;
        while (first + 1 < placed.size() &&
               placed[first] - placed[first + 1] <= thresholds.dormant_after_days * k_day_ms) {
            ++first;
        }
        decision.since = std::min(placed[first], now);
        decision.reason = std::to_string(placed.size()) + (placed.size() == 1 ? " order" : " orders") + ", " +
                          std::to_string(in_window) + " in the last " +
                          std::to_string(thresholds.frequent_window_days) + " days";
    }
    return decision;
}

const char* temperature_id(LeadTemperature temperature) {
    switch (temperature) {
    case LeadTemperature::hot:
        return "hot";
    case LeadTemperature::warm:
        return "warm";
    case LeadTemperature::cold:
        return "cold";
    }
    return "cold";
}

LeadTemperature lead_temperature(std::optional<std::int64_t> last_interaction_at, std::int64_t interaction_count,
                                 std::int64_t now) {
    if (!last_interaction_at) {
        return LeadTemperature::cold;
    }
    const std::int64_t age = now - *last_interaction_at;
    if (age <= k_hot_within_days * k_day_ms && interaction_count >= k_hot_min_interactions) {
        return LeadTemperature::hot;
    }
    if (age <= k_warm_within_days * k_day_ms) {
        return LeadTemperature::warm;
    }
    return LeadTemperature::cold;
}

} // namespace pheu::bot
