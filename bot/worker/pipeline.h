#pragma once
// Everything that turns facts into decisions on one database connection: the stage keeper,
// its stage_entered subscribers (the Zalo tag mirror, the playbook), the event applier and
// the playbook runner. The worker (events) and the scheduler (time) each own one, built
// here, so a subscriber cannot be wired into one and forgotten in the other.
#include "bot/delivery/delivery_receipts.h"
#include "bot/customers/event_applier.h"
#include "bot/playbook/playbook_runner.h"
#include "bot/customers/stage_keeper.h"
#include "store/config_version.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <functional>

namespace pheu::templates {
class TemplateCache;
}

namespace pheu::bot {

struct PipelineOptions {
    templates::TemplateCache* templates = nullptr; // shared by every pipeline
    RunnerOptions runner;
    // Called after a commit that may have queued outbound work (wakes the dispatcher).
    std::function<void()> outbox_changed;
};

class Pipeline {
public:
    Pipeline(store::sql::Connection& db, const PipelineOptions& options);
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // Re-reads the shop's settings, playbook, templates and catalog when their version
    // moved; one statement per batch otherwise, inside its transaction.
    void reload();

    StageKeeper& stages() { return m_stages; }
    EventApplier& applier() { return m_applier; }
    PlaybookRunner& playbooks() { return m_playbooks; }
    DeliveryReceipts& receipts() { return m_receipts; }

private:
    store::ConfigVersion m_config_version;
    std::int64_t m_loaded_version = -1;
    StageKeeper m_stages;
    PlaybookRunner m_playbooks;
    EventApplier m_applier;
    DeliveryReceipts m_receipts;
};

} // namespace pheu::bot
