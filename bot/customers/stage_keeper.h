#pragma once
// Keeps each customer's stored stage equal to the stage engine's verdict: recomputes it from
// the stored facts, records every change in stage_history, and tells the subscribers of
// stage_entered (the Zalo tag mirror and the playbook runner, through bot/worker/pipeline.cpp), all
// in the caller's transaction.
#include "bot/customers/shop_settings.h"
#include "bot/stage.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/customer_store.h"
#include "store/settings_store.h"

namespace pheu::bot {

// The stage_entered domain event.
struct StageChange {
    std::int64_t customer_id = 0;
    std::optional<Stage> from;
    Stage to = Stage::new_lead;
    std::int64_t at = 0;
    std::string reason;
};

// The changes a batch of events made, one per customer: from the stage they were in before the
// first to the stage the last left them in, dated by the last. A customer moved through
// several stages before any message could be sent (a batch of past orders, a backlog) runs
// only the rules of the stage they end in; one who ends where they began has no change.
std::vector<StageChange> net_stage_changes(const std::vector<StageChange>& changes);

// The event a stage check follows.
struct StageCause {
    std::int64_t occurred_at = 0;
    bool interaction = false; // the customer did something (wrote, tapped, bought), not a receipt
};

class StageKeeper {
public:
    using Subscriber = std::function<void(const StageChange&)>;

    explicit StageKeeper(store::sql::Connection& db);

    void subscribe(Subscriber subscriber);
    // Re-reads the shop's thresholds (once per batch, not per event).
    void reload_settings();
    const StageSettings& settings() const { return m_settings; }

    // Recomputes the customer's stage at `now`; returns the change if there was one. An event
    // that caused it passes itself: a new lead's stage dates from its time, and an
    // interaction is recorded with the stage (one write for both).
    std::optional<StageChange> refresh(std::int64_t customer_id, std::int64_t now,
                                       std::optional<StageCause> cause = std::nullopt);

private:
    store::SettingsStore m_settings_store; // read again on every reload
    store::CustomerStore m_customers;
    StageSettings m_settings;
    std::vector<Subscriber> m_subscribers;
};

} // namespace pheu::bot
