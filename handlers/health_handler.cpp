#include "handlers/health_handler.h"

#include "bot/channels/channel_health.h"
#include "bot/metrics.h"
#include "bot/time_format.h"
#include "handlers/json_error.h"
#include "store/database.h"
#include "store/inbox_store.h"

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace pheu::handlers {

HealthHandler::HealthHandler(const std::string& database_path, bot::Metrics& metrics,
                             const bot::channels::ChannelHealth& accounts)
    : m_db(store::open_database(database_path)), m_metrics(metrics), m_accounts(accounts) {}

HealthHandler::~HealthHandler() = default;

HttpReply HealthHandler::health() const {
    try {
        std::lock_guard lock(m_mutex);
        m_db->execAndGet("SELECT count(*) FROM sqlite_schema");
    } catch (const std::exception& error) {
        spdlog::error("healthz: the database does not answer: {}", error.what());
        return json_error(503, "database_unavailable", "The database does not answer.");
    }
    nlohmann::json answer = {{"status", "ok"}};
    for (const auto& [key, account] : m_accounts.snapshot()) {
        if (account.stopped) {
            answer["stopped_accounts"][key] = {{"reason", account.reason},
                                               {"since", bot::format_rfc3339_utc(account.since_ms)}};
        }
    }
    return HttpReply{200, answer.dump(), "application/json", {}};
}

HttpReply HealthHandler::metrics() const {
    try {
        std::lock_guard lock(m_mutex);
        store::InboxStore inbox(*m_db);
        m_metrics.set_inbox_backlog(inbox.count_in_state(store::InboxState::pending));
        m_metrics.set_outbox_queued(m_db->execAndGet("SELECT count(*) FROM outbox WHERE status = 'queued'").getInt64());
    } catch (const std::exception& error) {
        spdlog::warn("metrics: could not read the inbox backlog: {}", error.what());
    }
    for (const auto& [key, account] : m_accounts.snapshot()) {
        const auto colon = key.find(':');
        m_metrics.set_account_up(key.substr(0, colon), key.substr(colon + 1), !account.stopped);
    }
    return HttpReply{200, m_metrics.render(), "text/plain; version=0.0.4", {}};
}

} // namespace pheu::handlers
