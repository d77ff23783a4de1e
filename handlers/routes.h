#pragma once
// The route table: every path pheu serves appears here once.

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
class SessionHandler;
class UsersHandler;
class ZaloConnectHandler;
class MessengerConnectHandler;
class WebhooksHandler;
class AdminAccess;

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
    const SessionHandler& sessions;
    const UsersHandler& users;
    const ZaloConnectHandler& zalo_connect;
    const MessengerConnectHandler& messenger_connect;
    const WebhooksHandler& webhooks;
    const AdminAccess& access; // who may call the admin routes
};

void register_routes(HttpServer& server, const RouteTargets& targets);

} // namespace pheu::handlers
