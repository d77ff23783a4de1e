#pragma once
// The route table: every path pheu serves appears here once.
#include <string>

namespace pheu::handlers {

class HttpServer;
class ZaloWebhookHandler;
class MessengerWebhookHandler;
class EventsApiHandler;
class HealthHandler;
class CustomersHandler;
class TemplatesHandler;
class CatalogHandler;
class SettingsHandler;
class PlaybookHandler;
class MessagesHandler;
class ReportsHandler;
class SegmentsHandler;
class BroadcastsHandler;
class ConsoleHandler;
class MiniAppHandler;
class ImportHandler;
class PersonalDataHandler;
class StaffReplyHandler;
class ShortLinkHandler;

struct RouteTargets {
    const ZaloWebhookHandler& zalo;
    const MessengerWebhookHandler& messenger;
    const EventsApiHandler& events;
    const HealthHandler& health;
    const CustomersHandler& customers;
    const TemplatesHandler& templates;
    const CatalogHandler& catalog;
    const SettingsHandler& settings;
    const PlaybookHandler& playbook;
    const MessagesHandler& messages;
    const ReportsHandler& reports;
    const SegmentsHandler& segments;
    const BroadcastsHandler& broadcasts;
    const ConsoleHandler& console;
    const MiniAppHandler& miniapp;
    const ImportHandler& import;
    const PersonalDataHandler& personal_data;
    const StaffReplyHandler& staff_replies;
    const ShortLinkHandler& short_links;
    const std::string& admin_token; // what the admin routes require
};

void register_routes(HttpServer& server, const RouteTargets& targets);

} // namespace pheu::handlers
