#pragma once
// Everything that turns facts into decisions on one database connection: the stage keeper,
// its stage_entered subscribers (the Zalo tag mirror, the playbook), the event applier and
// the playbook runner. The worker (events) and the scheduler (time) each own one, built
// here, so a subscriber cannot be wired into one and forgotten in the other.
#include "bot/event_applier.h"
#include "bot/playbook_runner.h"
#include "bot/stage_keeper.h"

#include <SQLiteCpp/Database.h>

namespace pheu::templates {
class TemplateCache;
}

namespace pheu::bot {

struct PipelineOptions {
    templates::TemplateCache* templates = nullptr; // shared by every pipeline
    RunnerOptions runner;
};

class Pipeline {
public:
    Pipeline(SQLite::Database& db, const PipelineOptions& options);
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // Re-reads the shop's settings and playbook; once per batch, inside its transaction.
    void reload();

    StageKeeper& stages() { return m_stages; }
    EventApplier& applier() { return m_applier; }
    PlaybookRunner& playbooks() { return m_playbooks; }

private:
    StageKeeper m_stages;
    PlaybookRunner m_playbooks;
    EventApplier m_applier;
};

} // namespace pheu::bot
