#pragma once
// GET /healthz and GET /metrics.
#include "handlers/http_exchange.h"

#include <memory>
#include <mutex>
#include <string>

namespace SQLite {
class Database;
}
namespace pheu::bot {
class Metrics;
}
namespace pheu::bot::channels {
class ChannelHealth;
}

namespace pheu::handlers {

class HealthHandler {
public:
    HealthHandler(const std::string& database_path, bot::Metrics& metrics, const bot::channels::ChannelHealth& accounts);
    ~HealthHandler();

    // 200 {"status":"ok"} when the database answers, 503 otherwise. A sending account whose
    // credentials the platform refused is listed under "stopped_accounts" with the reason a
    // person must act on (the database still answers, so the status stays "ok").
    HttpReply health() const;
    // Prometheus text, with the inbox backlog read fresh.
    HttpReply metrics() const;

private:
    mutable std::mutex m_mutex; // one read connection shared by the probe endpoints
    std::unique_ptr<SQLite::Database> m_db;
    bot::Metrics& m_metrics;
    const bot::channels::ChannelHealth& m_accounts;
};

} // namespace pheu::handlers
