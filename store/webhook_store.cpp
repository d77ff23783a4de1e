#include "store/webhook_store.h"

#include "store/sql_helpers.h"

#include <SQLiteCpp/Statement.h>

namespace pheu::store {

namespace {

constexpr const char* k_delivery_columns = "d.id, d.endpoint_id, d.event_type, d.payload, d.status, d.attempts, "
                                           "d.next_attempt_at, d.last_status, d.last_error, d.created_at, "
                                           "d.delivered_at";

WebhookDelivery delivery_from(SQLite::Statement& row) {
    return WebhookDelivery{.id = row.getColumn(0).getInt64(),
                           .endpoint_id = row.getColumn(1).getInt64(),
                           .event_type = row.getColumn(2).getString(),
                           .payload = row.getColumn(3).getString(),
                           .status = row.getColumn(4).getString(),
                           .attempts = row.getColumn(5).getInt(),
                           .next_attempt_at = row.getColumn(6).getInt64(),
                           .last_status = optional_int(row.getColumn(7)),
                           .last_error = text_or_empty(row.getColumn(8)),
                           .created_at = row.getColumn(9).getInt64(),
                           .delivered_at = optional_int(row.getColumn(10))};
}

WebhookEndpoint endpoint_from(SQLite::Statement& row) {
    return WebhookEndpoint{.id = row.getColumn(0).getInt64(),
                           .url = row.getColumn(1).getString(),
                           .events_json = row.getColumn(2).getString(),
                           .secret = row.getColumn(3).getString(),
                           .description = row.getColumn(4).getString(),
                           .active = row.getColumn(5).getInt() != 0,
                           .created_at = row.getColumn(6).getInt64()};
}

constexpr const char* k_endpoint_columns = "id, url, events, secret, description, active, created_at";

} // namespace

WebhookStore::WebhookStore(SQLite::Database& db) : m_statements(db) {}

std::int64_t WebhookStore::create(const WebhookEndpoint& endpoint) {
    auto insert = m_statements("INSERT INTO webhook_endpoints (url, events, secret, description, active, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    insert->bind(1, endpoint.url);
    insert->bind(2, endpoint.events_json);
    insert->bind(3, endpoint.secret);
    insert->bind(4, endpoint.description);
    insert->bind(5, endpoint.active ? 1 : 0);
    insert->bind(6, static_cast<int64_t>(endpoint.created_at));
    insert->executeStep();
    const std::int64_t id = insert->getColumn(0).getInt64();
    while (insert->executeStep()) {
    }
    return id;
}

std::vector<WebhookEndpoint> WebhookStore::endpoints() {
    auto query = m_statements(std::string("SELECT ") + k_endpoint_columns + " FROM webhook_endpoints ORDER BY id");
    std::vector<WebhookEndpoint> found;
    while (query->executeStep()) {
        found.push_back(endpoint_from(*query));
    }
    return found;
}

std::optional<WebhookEndpoint> WebhookStore::endpoint(std::int64_t id) {
    auto query = m_statements(std::string("SELECT ") + k_endpoint_columns + " FROM webhook_endpoints WHERE id = ?");
    query->bind(1, static_cast<int64_t>(id));
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return endpoint_from(*query);
}

bool WebhookStore::remove(std::int64_t id) {
    auto deliveries = m_statements("DELETE FROM webhook_deliveries WHERE endpoint_id = ?");
    deliveries->bind(1, static_cast<int64_t>(id));
    deliveries->exec();
    auto endpoint = m_statements("DELETE FROM webhook_endpoints WHERE id = ?");
    endpoint->bind(1, static_cast<int64_t>(id));
    return endpoint->exec() > 0;
}

WebhookCounts WebhookStore::counts(std::int64_t endpoint_id) {
    auto query = m_statements("SELECT status, count(*) FROM webhook_deliveries WHERE endpoint_id = ? GROUP BY status");
    query->bind(1, static_cast<int64_t>(endpoint_id));
    WebhookCounts counts;
    while (query->executeStep()) {
        const std::string status = query->getColumn(0).getString();
        const std::int64_t count = query->getColumn(1).getInt64();
        (status == "pending" ? counts.pending : status == "delivered" ? counts.delivered : counts.failed) = count;
    }
    return counts;
}

std::vector<WebhookDelivery> WebhookStore::deliveries(std::int64_t endpoint_id, int limit,
                                                      std::optional<std::int64_t> before_id) {
    auto query = m_statements(std::string("SELECT ") + k_delivery_columns +
                              " FROM webhook_deliveries d WHERE d.endpoint_id = ? AND d.id < "
                              "coalesce(?, 9223372036854775807) ORDER BY d.id DESC LIMIT ?");
    query->bind(1, static_cast<int64_t>(endpoint_id));
    bind_optional_int(*query, 2, before_id);
    query->bind(3, limit);
    std::vector<WebhookDelivery> found;
    while (query->executeStep()) {
        found.push_back(delivery_from(*query));
    }
    return found;
}

std::vector<DueWebhook> WebhookStore::due(std::int64_t now_ms, int limit) {
    auto query = m_statements(std::string("SELECT ") + k_delivery_columns +
                              ", e.url, e.secret FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = "
                              "d.endpoint_id WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY "
                              "d.next_attempt_at, d.id LIMIT ?");
    query->bind(1, static_cast<int64_t>(now_ms));
    query->bind(2, limit);
    std::vector<DueWebhook> found;
    while (query->executeStep()) {
        found.push_back(DueWebhook{.delivery = delivery_from(*query),
                                   .url = query->getColumn(11).getString(),
                                   .secret = query->getColumn(12).getString()});
    }
    return found;
}

void WebhookStore::mark_delivered(std::int64_t id, int status, std::int64_t now_ms) {
    auto update = m_statements("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, "
                               "last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?");
    update->bind(1, status);
    update->bind(2, static_cast<int64_t>(now_ms));
    update->bind(3, static_cast<int64_t>(id));
    update->exec();
}

void WebhookStore::mark_attempt_failed(std::int64_t id, std::optional<int> status, const std::string& error,
                                       std::optional<std::int64_t> next_attempt_at) {
    auto update = m_statements("UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, "
                               "last_error = ?, status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END, "
                               "next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?");
    bind_optional_int(*update, 1, status ? std::optional<std::int64_t>(*status) : std::nullopt);
    update->bind(2, error);
    bind_optional_int(*update, 3, next_attempt_at);
    bind_optional_int(*update, 4, next_attempt_at);
    update->bind(5, static_cast<int64_t>(id));
    update->exec();
}

} // namespace pheu::store
