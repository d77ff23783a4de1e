#include "bot/customers/stage_keeper.h"

#include "bot/customers/stage_engine.h"
#include "store/settings_store.h"

#include <algorithm>

namespace pheu::bot {

std::vector<StageChange> net_stage_changes(const std::vector<StageChange>& changes) {
    std::vector<StageChange> net;
    for (const auto& change : changes) {
        auto same = std::find_if(net.begin(), net.end(),
                                 [&](const StageChange& kept) { return kept.customer_id == change.customer_id; });
        if (same == net.end()) {
            net.push_back(change);
            continue;
        }
        const std::optional<Stage> first_from = same->from;
        *same = change;
        same->from = first_from;
    }
    net.erase(std::remove_if(net.begin(), net.end(),
                             [](const StageChange& change) { return change.from && *change.from == change.to; }),
              net.end());
    return net;
}

StageKeeper::StageKeeper(store::sql::Connection& db)
    : m_settings_store(db), m_customers(db), m_settings(default_stage_settings()) {}

void StageKeeper::subscribe(Subscriber subscriber) {
    m_subscribers.push_back(std::move(subscriber));
}

void StageKeeper::reload_settings() {
    m_settings = load_stage_settings(m_settings_store);
}

std::optional<StageChange> StageKeeper::refresh(std::int64_t customer_id, std::int64_t now,
                                                std::optional<StageCause> cause) {
    const store::StageRow stored = m_customers.stage_of(customer_id);
    store::CustomerStore::StageCheck check;
    if (cause && cause->interaction) {
        check.interaction_at = cause->occurred_at;
    }
    StageFacts facts;
    facts.last_interaction_at = stored.last_interaction_at;
    if (check.interaction_at) {
        facts.last_interaction_at =
            std::max(stored.last_interaction_at.value_or(*check.interaction_at), *check.interaction_at);
    }
    for (const auto& order : stored.orders) {
        facts.orders[order.order_id] = OrderFact{order.placed_at, order.cancelled};
    }
    StageDecision decision = decide_stage(facts, m_settings.thresholds, now);
    if (decision.stage == Stage::new_lead && cause) {
        decision.since = std::min(cause->occurred_at, now);
    }
    check.next_check_at = decision.next_check_at;

    const std::optional<Stage> previous = parse_stage(stored.stage);
    const bool first_time = !stored.ever_staged;
    if (!first_time && previous == decision.stage) {
        m_customers.record_stage_check(customer_id, check);
        return std::nullopt;
    }
    // Dated by the events that caused it, so a backfilled period's history is where it
    // happened; never before the stage the customer leaves was entered.
    const std::int64_t at = std::max(decision.since, first_time ? decision.since : stored.stage_changed_at.value_or(0));
    StageChange change{customer_id, first_time ? std::nullopt : previous, decision.stage, at, decision.reason};
    check.entered_stage = stage_id(decision.stage);
    check.entered_at = at;
    m_customers.record_stage_check(customer_id, check);
    m_customers.add_stage_history(customer_id,
                                  change.from ? std::optional<std::string>(stage_id(*change.from)) : std::nullopt,
                                  stage_id(decision.stage), at, decision.reason);
    for (const auto& subscriber : m_subscribers) {
        subscriber(change);
    }
    return change;
}

} // namespace pheu::bot
