#include "bot/worker/pipeline.h"

#include "bot/customers/zalo_tag_mirror.h"

namespace pheu::bot {

Pipeline::Pipeline(store::sql::Connection& db, const PipelineOptions& options)
    : m_config_version(db), m_stages(db), m_playbooks(db, *options.templates, options.runner), m_applier(db, m_stages),
      m_receipts(db) {
    subscribe_zalo_tag_mirror(m_stages, db);
    m_stages.subscribe([this](const StageChange& change) { m_playbooks.note_stage_change(change); });
}

void Pipeline::reload() {
    const std::int64_t version = m_config_version.current();
    if (version == m_loaded_version) {
        return;
    }
    m_stages.reload_settings();
    m_playbooks.reload();
    m_loaded_version = version;
}

} // namespace pheu::bot
