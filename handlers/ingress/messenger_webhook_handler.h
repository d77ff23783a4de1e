#pragma once
// GET /webhooks/messenger (the verify handshake) and POST /webhooks/messenger (events signed
// with X-Hub-Signature-256 by the page's app secret).
#include "bot/config.h"
#include "handlers/http/http_exchange.h"
#include "handlers/ingress/ingress_context.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace pheu::handlers {

class MessengerWebhookHandler {
public:
    MessengerWebhookHandler(const std::vector<bot::MessengerPage>& pages, IngressContext context);

    HttpReply verify(const HttpRequestView& request) const;
    // Runs on the HTTP event loop and never blocks: `reply` gets a refusal at once, or the
    // 200 once every messaging item is durable (from the inbox writer's thread).
    void handle(const HttpRequestView& request, ReplySink reply) const;

private:
    HttpReply reject(int status, const std::string& reason, const std::string& code, const std::string& message) const;

    std::unordered_map<std::string, bot::MessengerPage> m_pages;
    IngressContext m_context;
};

} // namespace pheu::handlers
