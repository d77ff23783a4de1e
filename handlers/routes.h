#pragma once
// The route table: every path pheu serves appears here once.
namespace pheu::handlers {

class HttpServer;
class ZaloWebhookHandler;
class MessengerWebhookHandler;
class EventsApiHandler;
class HealthHandler;
class CustomersHandler;

struct RouteTargets {
    const ZaloWebhookHandler& zalo;
    const MessengerWebhookHandler& messenger;
    const EventsApiHandler& events;
    const HealthHandler& health;
    const CustomersHandler& customers;
};

void register_routes(HttpServer& server, const RouteTargets& targets);

} // namespace pheu::handlers
