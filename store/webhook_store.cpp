#include "store/webhook_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

namespace {

constexpr const char* k_delivery_columns = "d.id, d.endpoint_id, d.event_type, d.payload, d.status, d.attempts, "
                                           "d.next_attempt_at, d.last_status, d.last_error, d.created_at, "
                                           "d.delivered_at";

WebhookDelivery delivery_from(sql::Statement& row) {
    return WebhookDelivery{.id = row.int64(0),
                           .endpoint_id = row.int64(1),
                           .event_type = row.text(2),
                           .payload = row.text(3),
                           .status = row.text(4),
                           .attempts = row.int32(5),
                           .next_attempt_at = row.int64(6),
                           .last_status = optional_int(row, 7),
                           .last_error = text_or_empty(row, 8),
                           .created_at = row.int64(9),
                           .delivered_at = optional_int(row, 10)};
}

WebhookEndpoint endpoint_from(sql::Statement& row) {
    return WebhookEndpoint{.id = row.int64(0),
                           .url = row.text(1),
                           .events_json = row.text(2),
                           .secret = row.text(3),
                           .description = row.text(4),
                           .active = row.int32(5) != 0,
                           .created_at = row.int64(6)};
}

constexpr const char* k_endpoint_columns = "id, url, events, secret, description, active, created_at";

} // namespace

WebhookStore::WebhookStore(sql::Connection& db) : m_statements(db) {}

std::int64_t WebhookStore::create(const WebhookEndpoint& endpoint) {
    auto insert = m_statements("INSERT INTO webhook_endpoints (url, events, secret, description, active, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    insert->bind(1, endpoint.url);
    insert->bind(2, endpoint.events_json);
    insert->bind(3, endpoint.secret);
    insert->bind(4, endpoint.description);
    insert->bind(5, endpoint.active ? 1 : 0);
    insert->bind(6, static_cast<int64_t>(endpoint.created_at));
    insert->step();
    const std::int64_t id = insert->int64(0);
    while (insert->step()) {
    }
    return id;
}

std::vector<WebhookEndpoint> WebhookStore::endpoints() {
    auto query = m_statements(std::string("SELECT ") + k_endpoint_columns + " FROM webhook_endpoints ORDER BY id");
    std::vector<WebhookEndpoint> found;
    while (query->step()) {
        found.push_back(endpoint_from(*query));
    }
    return found;
}

std::optional<WebhookEndpoint> WebhookStore::endpoint(std::int64_t id) {
    auto query = m_statements(std::string("SELECT ") + k_endpoint_columns + " FROM webhook_endpoints WHERE id = ?");
    query->bind(1, static_cast<int64_t>(id));
    if (!query->step()) {
        return std::nullopt;
    }
    return endpoint_from(*query);
}

bool WebhookStore::remove(std::int64_t id) {
    auto deliveries = m_statements("DELETE FROM webhook_deliveries WHERE endpoint_id = ?");
    deliveries->bind(1, static_cast<int64_t>(id));
    deliveries->run();
    auto endpoint = m_statements("DELETE FROM webhook_endpoints WHERE id = ?");
    endpoint->bind(1, static_cast<int64_t>(id));
    return endpoint->run() > 0;
}

WebhookCounts WebhookStore::counts(std::int64_t endpoint_id) {
    auto query = m_statements("SELECT status, count(*) FROM webhook_deliveries WHERE endpoint_id = ? GROUP BY status");
    query->bind(1, static_cast<int64_t>(endpoint_id));
    WebhookCounts counts;
    while (query->step()) {
        const std::string status = query->text(0);
        const std::int64_t count = query->int64(1);
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
    while (query->step()) {
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
    while (query->step()) {
        found.push_back(
            DueWebhook{.delivery = delivery_from(*query), .url = query->text(11), .secret = query->text(12)});
    }
    return found;
}

void WebhookStore::mark_delivered(std::int64_t id, int status, std::int64_t now_ms) {
    auto update = m_statements("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, "
                               "last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?");
    update->bind(1, status);
    update->bind(2, static_cast<int64_t>(now_ms));
    update->bind(3, static_cast<int64_t>(id));
    update->run();
}

void WebhookStore::mark_attempt_failed(std::int64_t id, std::optional<int> status, const std::string& error,
                                       std::optional<std::int64_t> next_attempt_at) {
    auto update =
        m_statements("UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, "
                     "last_error = ?, status = CASE WHEN CAST(? AS BIGINT) IS NULL THEN 'failed' ELSE 'pending' END, "
                     "next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?");
    bind_optional_int(*update, 1, status ? std::optional<std::int64_t>(*status) : std::nullopt);
    update->bind(2, error);
    bind_optional_int(*update, 3, next_attempt_at);
    bind_optional_int(*update, 4, next_attempt_at);
    update->bind(5, static_cast<int64_t>(id));
    update->run();
}

} // namespace pheu::store
