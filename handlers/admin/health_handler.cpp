#include "handlers/admin/health_handler.h"

#include "bot/channels/channel_health.h"
#include "bot/metrics.h"
#include "common/time_format.h"
#include "handlers/http/json_error.h"
#include "store/database.h"
#include "store/inbox_store.h"
#include "store/inbox_writer.h"
#include "store/outbox_store.h"

#include "store/sql/connection.h"
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

namespace pheu::handlers {

namespace {
// How long a probe of the inbox may take before /healthz answers without it.
constexpr auto k_probe_timeout = std::chrono::seconds(2);
} // namespace

HealthHandler::HealthHandler(const std::string& database_path, bot::Metrics& metrics,
                             const bot::channels::ChannelHealth& accounts, store::InboxWriter& inbox)
    : m_db(store::sql::open_connection(database_path)), m_metrics(metrics), m_accounts(accounts), m_inbox(inbox) {}

HealthHandler::~HealthHandler() = default;

HttpReply HealthHandler::health() const {
    nlohmann::json reasons = nlohmann::json::array();
    try {
        std::lock_guard lock(m_mutex);
        m_db->execute("SELECT version FROM shop_config_version"); // one row: does the database answer?
    } catch (const std::exception& error) {
        spdlog::error("healthz: the database does not answer: {}", error.what());
        reasons.push_back("database_unavailable: " + std::string(error.what()));
    }
    if (const auto failure = m_inbox.commit_failure(); failure && !m_inbox.probe(k_probe_timeout)) {
        const auto still = m_inbox.commit_failure();
        reasons.push_back("inbox_cannot_commit: " + still.value_or(*failure));
    }
    if (!reasons.empty()) {
        return HttpReply{
            503, nlohmann::json{{"status", "degraded"}, {"reasons", reasons}}.dump(), "application/json", {}};
    }
    nlohmann::json answer = {{"status", "ok"}};
    for (const auto& [key, account] : m_accounts.snapshot()) {
        if (account.stopped) {
            answer["stopped_accounts"][key] = {{"reason", account.reason},
                                               {"since", common::format_rfc3339_utc(account.since_ms)}};
        }
    }
    return HttpReply{200, answer.dump(), "application/json", {}};
}

HttpReply HealthHandler::connections() const {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& [key, account] : m_accounts.snapshot()) {
        const auto colon = key.find(':');
        items.push_back({{"channel", key.substr(0, colon)},
                         {"account_id", key.substr(colon + 1)},
                         {"working", !account.stopped},
                         {"reason", account.stopped ? nlohmann::json(account.reason) : nlohmann::json(nullptr)},
                         {"since", account.stopped ? nlohmann::json(common::format_rfc3339_utc(account.since_ms))
                                                   : nlohmann::json(nullptr)}});
    }
    return HttpReply{200, nlohmann::json{{"items", items}}.dump(), "application/json", {{"Cache-Control", "no-store"}}};
}

HttpReply HealthHandler::metrics() const {
    try {
        std::lock_guard lock(m_mutex);
        store::InboxStore inbox(*m_db);
        m_metrics.set_inbox_backlog(inbox.count_in_state(store::InboxState::pending));
        m_metrics.set_outbox_queued(store::OutboxStore(*m_db).count_queued());
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
