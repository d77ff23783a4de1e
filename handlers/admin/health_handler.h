#pragma once
// GET /healthz and GET /metrics.
#include "handlers/http/http_exchange.h"

#include <memory>
#include <mutex>
#include <string>

namespace pheu::store::sql {
class Connection;
}
namespace pheu::bot {
class Metrics;
}
namespace pheu::store {
class InboxWriter;
}
namespace pheu::bot::channels {
class ChannelHealth;
}

namespace pheu::handlers {

class HealthHandler {
public:
    HealthHandler(const std::string& database_path, bot::Metrics& metrics, const bot::channels::ChannelHealth& accounts,
                  store::InboxWriter& inbox);
    ~HealthHandler();

    // 200 {"status":"ok"} when the database answers and the inbox can commit; otherwise 503
    // {"status":"degraded","reasons":[…]}: webhooks are being refused. After a failed commit
    // the inbox is probed with a write of its own, so the answer turns ok as soon as it can
    // commit again (the disk was freed), not only once an event got through. A sending
    // account whose credentials the platform refused is listed under "stopped_accounts" with
    // the reason a person must act on (ingest works, so the status stays "ok").
    HttpReply health() const;
    // Prometheus text, with the inbox backlog read fresh.
    HttpReply metrics() const;
    // GET /api/v1/connections (admin): every Zalo OA and Messenger page pheu sends from, and
    // whether the platform accepts its credentials ("working"), else why not and since when:
    // what the console's settings show the shop.
    HttpReply connections() const;

private:
    mutable std::mutex m_mutex; // one read connection shared by the probe endpoints
    std::unique_ptr<store::sql::Connection> m_db;
    bot::Metrics& m_metrics;
    const bot::channels::ChannelHealth& m_accounts;
    store::InboxWriter& m_inbox;
};

} // namespace pheu::handlers
