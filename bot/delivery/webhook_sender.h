#pragma once
// Posts the shop's outbound webhooks: each pending delivery due now goes to its endpoint as
// JSON, signed as Standard Webhooks specifies (webhook-id, webhook-timestamp,
// webhook-signature). A 2xx answer delivers it; anything else (another status, no answer)
// is tried again on the schedule of outbound_webhooks.h, and after eight failed attempts it
// is given up and shown as failed in the console. Deliveries are at least once: a crash after
// the endpoint answered and before the mark is committed sends it again with the same
// webhook-id, which receivers use to drop duplicates.
#include "bot/background_loop.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace pheu::store::sql {
class Connection;
}
namespace pheu::store {
class WriteGate;
}
namespace pheu::bot::channels {
class HttpTransport;
}

namespace pheu::bot {

class WebhookSender {
public:
    using Clock = std::function<std::int64_t()>;

    WebhookSender(const std::string& database_path, store::WriteGate& gate, channels::HttpTransport& transport,
                  Clock clock, std::int64_t interval_ms);
    ~WebhookSender();
    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;

    void start();
    void stop();

    // Posts what is due; true when more was due than one pass takes.
    bool pass();

private:
    std::unique_ptr<store::sql::Connection> m_db;
    store::WriteGate& m_gate;
    channels::HttpTransport& m_transport;
    Clock m_clock;
    BackgroundLoop m_loop;
};

} // namespace pheu::bot
