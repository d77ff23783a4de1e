#pragma once
// SQL over the shop's outbound webhooks: the endpoints it registered and the deliveries owed
// to them (written by the triggers of migration 31, in the transaction of the change itself).
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct WebhookEndpoint {
    std::int64_t id = 0;
    std::string url;
    std::string events_json = "[]"; // the event types it receives
    std::string secret;             // "whsec_<base64>"
    std::string description;
    bool active = true;
    std::int64_t created_at = 0;
};

struct WebhookDelivery {
    std::int64_t id = 0;
    std::int64_t endpoint_id = 0;
    std::string event_type;
    std::string payload;
    std::string status; // pending, delivered, failed
    int attempts = 0;
    std::int64_t next_attempt_at = 0;
    std::optional<std::int64_t> last_status = std::nullopt; // the endpoint's HTTP status
    std::string last_error;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> delivered_at = std::nullopt;
};

// A delivery due now, with where it goes.
struct DueWebhook {
    WebhookDelivery delivery;
    std::string url;
    std::string secret;
};

// How many deliveries an endpoint has in each state.
struct WebhookCounts {
    std::int64_t pending = 0;
    std::int64_t delivered = 0;
    std::int64_t failed = 0;
};

class WebhookStore {
public:
    explicit WebhookStore(sql::Connection& db);

    std::int64_t create(const WebhookEndpoint& endpoint);
    std::vector<WebhookEndpoint> endpoints();
    std::optional<WebhookEndpoint> endpoint(std::int64_t id);
    // Deletes the endpoint and what it was owed; false when there is no such endpoint.
    bool remove(std::int64_t id);
    WebhookCounts counts(std::int64_t endpoint_id);
    // The newest first; older than `before_id` when given.
    std::vector<WebhookDelivery> deliveries(std::int64_t endpoint_id, int limit, std::optional<std::int64_t> before_id);

    // Pending deliveries due by `now_ms`, oldest first.
    std::vector<DueWebhook> due(std::int64_t now_ms, int limit);
    void mark_delivered(std::int64_t id, int status, std::int64_t now_ms);
    // A failed attempt: tried again at `next_attempt_at`, or given up when it is nullopt.
    void mark_attempt_failed(std::int64_t id, std::optional<int> status, const std::string& error,
                             std::optional<std::int64_t> next_attempt_at);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
