#pragma once
// POST /api/v1/events: the shop's own systems report purchases, games, carts and more.
#include "handlers/http/http_exchange.h"
#include "handlers/ingress/ingress_context.h"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace pheu::handlers {

struct EventsParseResult;

// The answer to an events body: 400 for JSON that does not parse or an event `parse`
// refuses, 503 when nothing could be stored, else 202 {"accepted":N,"duplicates":M} once the
// events are durable. The events API and the Mini App's events endpoint differ only in how
// they parse (who the customer is), so both answer through this.
void accept_events(const IngressContext& context, const char* source, std::string_view body,
                   const std::function<EventsParseResult(const nlohmann::json&)>& parse, ReplySink reply);

class EventsApiHandler {
public:
    EventsApiHandler(std::string events_token, IngressContext context);

    // Runs on the HTTP event loop and never blocks: `reply` gets a refusal at once, or the
    // 202 once every event is durable (from the inbox writer's thread).
    void handle(const HttpRequestView& request, ReplySink reply) const;

private:
    std::string m_events_token;
    IngressContext m_context;
};

} // namespace pheu::handlers
