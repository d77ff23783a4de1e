#include "handlers/health_handler.h"

#include "bot/metrics.h"
#include "handlers/json_error.h"
#include "store/database.h"
#include "store/inbox_store.h"

#include <spdlog/spdlog.h>

namespace pheu::handlers {

HealthHandler::HealthHandler(const std::string& database_path, bot::Metrics& metrics)
    : m_db(store::open_database(database_path)), m_metrics(metrics) {}

HealthHandler::~HealthHandler() = default;

HttpReply HealthHandler::health() const {
    try {
        std::lock_guard lock(m_mutex);
        m_db->execAndGet("SELECT count(*) FROM sqlite_schema");
    } catch (const std::exception& error) {
        spdlog::error("healthz: the database does not answer: {}", error.what());
        return json_error(503, "database_unavailable", "The database does not answer.");
    }
    return HttpReply{200, R"({"status":"ok"})", "application/json", {}};
}

HttpReply HealthHandler::metrics() const {
    try {
        std::lock_guard lock(m_mutex);
        store::InboxStore inbox(*m_db);
        m_metrics.set_inbox_backlog(inbox.count_in_state(store::InboxState::pending));
    } catch (const std::exception& error) {
        spdlog::warn("metrics: could not read the inbox backlog: {}", error.what());
    }
    return HttpReply{200, m_metrics.render(), "text/plain; version=0.0.4", {}};
}

} // namespace pheu::handlers
