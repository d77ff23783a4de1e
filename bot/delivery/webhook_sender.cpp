#include "bot/delivery/webhook_sender.h"

#include "bot/channels/http_transport.h"
#include "bot/delivery/outbound_webhooks.h"
#include "store/database.h"
#include "store/webhook_store.h"
#include "store/write_gate.h"

#include <spdlog/spdlog.h>

#include <vector>

namespace pheu::bot {

namespace {

constexpr int k_batch = 20;

// What one attempt came to.
struct Attempt {
    std::int64_t delivery_id = 0;
    bool delivered = false;
    std::optional<int> status = std::nullopt;
    std::string error;
    int failed_attempts = 0; // counting this one, when it failed
};

Attempt post(channels::HttpTransport& transport, const store::DueWebhook& due, std::int64_t now_ms) {
    const std::string id = webhook_message_id(due.delivery.id);
    const std::int64_t timestamp = now_ms / 1000;
    Attempt attempt{.delivery_id = due.delivery.id,
                    .delivered = false,
                    .status = std::nullopt,
                    .error = "",
                    .failed_attempts = due.delivery.attempts + 1};
    const auto signature = standard_webhook_signature(due.secret, id, timestamp, due.delivery.payload);
    if (!signature) {
        attempt.error = "the endpoint's secret is not a whsec_ secret";
        return attempt;
    }
    channels::HttpCall call;
    call.url = due.url;
    call.body = due.delivery.payload;
    call.headers = {
        {"webhook-id", id}, {"webhook-timestamp", std::to_string(timestamp)}, {"webhook-signature", *signature}};
    const channels::HttpAnswer answer = transport.send(call);
    if (answer.failure != channels::TransportFailure::none) {
        attempt.error = answer.error.empty() ? "no answer" : answer.error;
        return attempt;
    }
    attempt.status = answer.status;
    attempt.delivered = answer.status >= 200 && answer.status < 300;
    if (!attempt.delivered) {
        attempt.error = "HTTP " + std::to_string(answer.status);
    }
    return attempt;
}

} // namespace

WebhookSender::WebhookSender(const std::string& database_path, store::WriteGate& gate,
                             channels::HttpTransport& transport, Clock clock, std::int64_t interval_ms)
    : m_db(store::sql::open_connection(database_path, store::Sync::normal)), m_gate(gate), m_transport(transport),
      m_clock(std::move(clock)), m_loop("webhooks", std::chrono::milliseconds(interval_ms), [this] { return pass(); }) {
}

WebhookSender::~WebhookSender() {
    stop();
}

void WebhookSender::start() {
    m_loop.start();
}

void WebhookSender::stop() {
    m_loop.stop();
}

bool WebhookSender::pass() {
    const std::int64_t now = m_clock();
    const std::vector<store::DueWebhook> due = store::WebhookStore(*m_db).due(now, k_batch);
    if (due.empty()) {
        return false;
    }
    // The posts happen outside any transaction: a slow endpoint holds no lock.
    std::vector<Attempt> attempts;
    attempts.reserve(due.size());
    for (const auto& delivery : due) {
        attempts.push_back(post(m_transport, delivery, now));
    }
    const std::int64_t done = m_clock();
    const auto gate = m_gate.enter();
    store::sql::Transaction transaction(*m_db);
    store::WebhookStore webhooks(*m_db);
    for (const auto& attempt : attempts) {
        if (attempt.delivered) {
            webhooks.mark_delivered(attempt.delivery_id, attempt.status.value_or(200), done);
            continue;
        }
        const auto wait = webhook_retry_delay_ms(attempt.failed_attempts);
        webhooks.mark_attempt_failed(attempt.delivery_id, attempt.status, attempt.error,
                                     wait ? std::optional<std::int64_t>(done + *wait) : std::nullopt);
        if (!wait) {
            spdlog::warn("webhooks: delivery {} given up after {} attempts: {}", attempt.delivery_id,
                         attempt.failed_attempts, attempt.error);
        }
    }
    transaction.commit();
    return due.size() == static_cast<std::size_t>(k_batch);
}

} // namespace pheu::bot
