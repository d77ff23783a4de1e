#pragma once
// POST /webhooks/zalo: verify X-ZEvent-Signature on the raw body, normalise, store, answer.
#include "bot/config.h"
#include "handlers/http/http_exchange.h"
#include "handlers/ingress/ingress_context.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace pheu::handlers {

class ZaloWebhookHandler {
public:
    ZaloWebhookHandler(const std::vector<bot::ZaloAccount>& accounts, IngressContext context);
    // The OA index points into the app-id index, so the handler stays where it was built.
    ZaloWebhookHandler(const ZaloWebhookHandler&) = delete;
    ZaloWebhookHandler& operator=(const ZaloWebhookHandler&) = delete;

    // Runs on the HTTP event loop and never blocks: `reply` gets a refusal at once, or the
    // 200 once the event is durable (from the inbox writer's thread).
    void handle(const HttpRequestView& request, ReplySink reply) const;

private:
    const bot::ZaloAccount* find_account(const std::string& app_id, const std::string& oa_id) const;
    HttpReply reject(int status, const std::string& reason, const std::string& code, const std::string& message) const;

    std::unordered_map<std::string, bot::ZaloAccount> m_by_app_id;
    std::unordered_map<std::string, const bot::ZaloAccount*> m_by_oa_id;
    IngressContext m_context;
};

} // namespace pheu::handlers
