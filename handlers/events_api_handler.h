#pragma once
// POST /api/v1/events: the shop's own systems report purchases, games, carts and more.
#include "handlers/http_exchange.h"
#include "handlers/ingress_context.h"

#include <string>

namespace pheu::handlers {

class EventsApiHandler {
public:
    EventsApiHandler(std::string events_token, IngressContext context);

    HttpReply handle(const HttpRequestView& request) const;

private:
    std::string m_events_token;
    IngressContext m_context;
};

} // namespace pheu::handlers
