#include "handlers/routes.h"

#include "handlers/admin/admin_access.h"
#include "handlers/admin/api_document_handler.h"
#include "handlers/admin/broadcasts_handler.h"
#include "handlers/admin/catalog_handler.h"
#include "handlers/admin/console_handler.h"
#include "handlers/admin/customers_handler.h"
#include "handlers/admin/personal_data_handler.h"
#include "handlers/admin/staff_reply_handler.h"
#include "handlers/ingress/events_api_handler.h"
#include "handlers/admin/health_handler.h"
#include "handlers/admin/import_handler.h"
#include "handlers/http/http_server.h"
#include "handlers/admin/messages_handler.h"
#include "handlers/admin/messenger_connect_handler.h"
#include "handlers/ingress/messenger_webhook_handler.h"
#include "handlers/ingress/miniapp_handler.h"
#include "handlers/ingress/short_link_handler.h"
#include "handlers/admin/playbook_handler.h"
#include "handlers/admin/reports_handler.h"
#include "handlers/admin/segments_handler.h"
#include "handlers/admin/session_handler.h"
#include "handlers/admin/settings_handler.h"
#include "handlers/admin/templates_handler.h"
#include "handlers/admin/users_handler.h"
#include "handlers/admin/webhooks_handler.h"
#include "handlers/admin/zalo_connect_handler.h"
#include "handlers/ingress/zalo_webhook_handler.h"

namespace pheu::handlers {

void register_routes(HttpServer& server, const RouteTargets& targets) {
    const auto& t = targets;
    // clang-format off
    // The webhooks and the events API answer once their events are durable, without a thread
    // waiting for it (see http_server.h).
    server.add_deferred(Method::post, "/webhooks/zalo",      "zalo_webhook",      [&z = t.zalo](const HttpRequestView& r, ReplySink reply) { z.handle(r, std::move(reply)); });
    server.add(Method::get,  "/webhooks/messenger", "messenger_verify",  [&m = t.messenger](const HttpRequestView& r) { return m.verify(r); });
    server.add_deferred(Method::post, "/webhooks/messenger", "messenger_webhook", [&m = t.messenger](const HttpRequestView& r, ReplySink reply) { m.handle(r, std::move(reply)); });
    server.add_deferred(Method::post, "/api/v1/events",      "events_api",        [&e = t.events](const HttpRequestView& r, ReplySink reply) { e.handle(r, std::move(reply)); });
    server.add_deferred(Method::post, "/api/v1/import",      "import",            [&i = t.import](const HttpRequestView& r, ReplySink reply) { i.handle(r, std::move(reply)); });
    // The shop's Zalo Mini App: the shopper's own Zalo access token, CORS for its web view.
    server.add(Method::post,    "/api/v1/miniapp/events", "miniapp_events",    [&m = t.miniapp](const HttpRequestView& r) { return m.events(r); });
    server.add(Method::post,    "/api/v1/miniapp/phone",  "miniapp_phone",     [&m = t.miniapp](const HttpRequestView& r) { return m.phone(r); });
    server.add(Method::options, "/api/v1/miniapp/events", "miniapp_preflight", [&m = t.miniapp](const HttpRequestView& r) { return m.preflight(r); });
    server.add(Method::options, "/api/v1/miniapp/phone",  "miniapp_preflight", [&m = t.miniapp](const HttpRequestView& r) { return m.preflight(r); });
    // The admin API: admin_route lets in the admin token, or a console session whose role has
    // the permission the route names (admin/staff_access.h), and answers 401 or 403 before the
    // handler runs otherwise. The one exception reads a voucher code with the admin or the
    // events token (the shop's POS asks), and checks it itself; so does the import above, a
    // deferred route.
    server.add(Method::get,  "/api/v1/customers",                     "customers_list",     admin_route(t.access, Permission::conversations, [&c = t.customers](const HttpRequestView& r) { return c.list(r); }));
    server.add(Method::get,  "/api/v1/customers/export.csv",          "customers_export",   admin_route(t.access, Permission::personal_data, [&c = t.customers](const HttpRequestView& r) { return c.export_csv(r); }));
    server.add(Method::get,  R"(/api/v1/customers/([^/]+))",          "customers_get",      admin_route(t.access, Permission::conversations, [&c = t.customers](const HttpRequestView& r) { return c.get(r); }));
    server.add(Method::get,  R"(/api/v1/customers/([^/]+)/messages)", "customers_messages", admin_route(t.access, Permission::conversations, [&c = t.customers](const HttpRequestView& r) { return c.messages(r); }));
    server.add(Method::get,  R"(/api/v1/customers/([^/]+)/export)",   "customers_personal_export", admin_route(t.access, Permission::personal_data, [&p = t.personal_data](const HttpRequestView& r) { return p.export_all(r); }));
    server.add(Method::del,  R"(/api/v1/customers/([^/]+))",          "customers_erase",    admin_route(t.access, Permission::personal_data, [&p = t.personal_data](const HttpRequestView& r) { return p.erase(r); }));
    server.add(Method::post, R"(/api/v1/customers/([^/]+)/reply)",    "customers_reply",    admin_route(t.access, Permission::conversations, [&s = t.staff_replies](const HttpRequestView& r) { return s.reply(r); }));
    server.add(Method::get,  "/api/v1/reports/messages",              "reports_messages",   admin_route(t.access, Permission::marketing, [&h = t.reports](const HttpRequestView& r) { return h.messages(r); }));
    server.add(Method::get,  "/api/v1/reports/funnel",                "reports_funnel",     admin_route(t.access, Permission::marketing, [&h = t.reports](const HttpRequestView& r) { return h.funnel(r); }));
    server.add(Method::get,  "/api/v1/segments",                      "segments_list",      admin_route(t.access, Permission::marketing, [&h = t.segments](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, "/api/v1/segments",                      "segments_create",    admin_route(t.access, Permission::marketing, [&h = t.segments](const HttpRequestView& r) { return h.create(r); }));
    server.add(Method::post, "/api/v1/segments/count",                "segments_count",     admin_route(t.access, Permission::marketing, [&h = t.segments](const HttpRequestView& r) { return h.count(r); }));
    server.add(Method::get,  R"(/api/v1/segments/([^/]+))",           "segments_get",       admin_route(t.access, Permission::marketing, [&h = t.segments](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::put,  R"(/api/v1/segments/([^/]+))",           "segments_put",       admin_route(t.access, Permission::marketing, [&h = t.segments](const HttpRequestView& r) { return h.put(r); }));
    server.add(Method::del,  R"(/api/v1/segments/([^/]+))",           "segments_delete",    admin_route(t.access, Permission::marketing, [&h = t.segments](const HttpRequestView& r) { return h.remove(r); }));
    server.add(Method::get,  R"(/api/v1/segments/([^/]+)/customers)", "segments_customers", admin_route(t.access, Permission::marketing, [&h = t.segments](const HttpRequestView& r) { return h.customers(r); }));
    server.add(Method::get,  R"(/api/v1/segments/([^/]+)/export.csv)", "segments_export",   admin_route(t.access, Permission::personal_data, [&h = t.segments](const HttpRequestView& r) { return h.export_csv(r); }));
    server.add(Method::get,  "/api/v1/broadcasts",                    "broadcasts_list",    admin_route(t.access, Permission::marketing, [&h = t.broadcasts](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, "/api/v1/broadcasts",                    "broadcasts_create",  admin_route(t.access, Permission::marketing, [&h = t.broadcasts](const HttpRequestView& r) { return h.create(r); }));
    server.add(Method::post, "/api/v1/broadcasts/estimate",           "broadcasts_estimate", admin_route(t.access, Permission::marketing, [&h = t.broadcasts](const HttpRequestView& r) { return h.estimate(r); }));
    server.add(Method::get,  R"(/api/v1/broadcasts/([^/]+))",         "broadcasts_get",     admin_route(t.access, Permission::marketing, [&h = t.broadcasts](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::post, R"(/api/v1/broadcasts/([^/]+)/pause)",   "broadcasts_pause",   admin_route(t.access, Permission::marketing, [&h = t.broadcasts](const HttpRequestView& r) { return h.pause(r); }));
    server.add(Method::post, R"(/api/v1/broadcasts/([^/]+)/resume)",  "broadcasts_resume",  admin_route(t.access, Permission::marketing, [&h = t.broadcasts](const HttpRequestView& r) { return h.resume(r); }));
    server.add(Method::post, R"(/api/v1/broadcasts/([^/]+)/test)",    "broadcasts_test",    admin_route(t.access, Permission::marketing, [&h = t.broadcasts](const HttpRequestView& r) { return h.test(r); }));
    server.add(Method::post, R"(/api/v1/broadcasts/([^/]+)/cancel)",  "broadcasts_cancel",  admin_route(t.access, Permission::marketing, [&h = t.broadcasts](const HttpRequestView& r) { return h.cancel(r); }));
    server.add(Method::get,  "/api/v1/templates",                     "templates_list",     admin_route(t.access, Permission::marketing, [&h = t.templates](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, "/api/v1/templates",                     "templates_create",   admin_route(t.access, Permission::marketing, [&h = t.templates](const HttpRequestView& r) { return h.create(r); }));
    server.add(Method::get,  R"(/api/v1/templates/([^/]+))",          "templates_get",      admin_route(t.access, Permission::marketing, [&h = t.templates](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::put,  R"(/api/v1/templates/([^/]+))",          "templates_put",      admin_route(t.access, Permission::marketing, [&h = t.templates](const HttpRequestView& r) { return h.put(r); }));
    server.add(Method::del,  R"(/api/v1/templates/([^/]+))",          "templates_delete",   admin_route(t.access, Permission::marketing, [&h = t.templates](const HttpRequestView& r) { return h.remove(r); }));
    server.add(Method::get,  R"(/api/v1/templates/([^/]+)/versions)", "templates_versions", admin_route(t.access, Permission::marketing, [&h = t.templates](const HttpRequestView& r) { return h.versions(r); }));
    server.add(Method::post, R"(/api/v1/templates/([^/]+)/rollback)", "templates_rollback", admin_route(t.access, Permission::marketing, [&h = t.templates](const HttpRequestView& r) { return h.rollback(r); }));
    server.add(Method::post, R"(/api/v1/templates/([^/]+)/preview)",  "templates_preview",  admin_route(t.access, Permission::marketing, [&h = t.templates](const HttpRequestView& r) { return h.preview(r); }));
    server.add(Method::get,  "/api/v1/playbook",                      "playbook_get",       admin_route(t.access, Permission::marketing, [&h = t.playbook](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::put,  R"(/api/v1/playbook/rules/([^/]+))",     "playbook_rule",      admin_route(t.access, Permission::marketing, [&h = t.playbook](const HttpRequestView& r) { return h.put_rule(r); }));
    server.add(Method::put,  R"(/api/v1/playbook/journeys/([^/]+))",  "playbook_journey",   admin_route(t.access, Permission::marketing, [&h = t.playbook](const HttpRequestView& r) { return h.put_journey(r); }));
    server.add(Method::get,  "/api/v1/settings",                      "settings_get",       admin_route(t.access, Permission::shop_settings, [&h = t.settings](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::post, "/api/v1/settings/stage_thresholds/preview", "settings_stage_preview", admin_route(t.access, Permission::shop_settings, [&h = t.settings](const HttpRequestView& r) { return h.preview_stages(r); }));
    server.add(Method::put,  R"(/api/v1/settings/([^/]+))",           "settings_put",       admin_route(t.access, Permission::shop_settings, [&h = t.settings](const HttpRequestView& r) { return h.put(r); }));
    server.add(Method::get,  "/api/v1/connections",                   "connections",        admin_route(t.access, Permission::shop_settings, [&h = t.health](const HttpRequestView&) { return h.connections(); }));
    server.add(Method::post, R"(/api/v1/connections/zalo/([^/]+)/authorize)", "connections_zalo_authorize", admin_route(t.access, Permission::shop_settings, [&h = t.zalo_connect](const HttpRequestView& r) { return h.authorize(r); }));
    server.add(Method::put,  R"(/api/v1/connections/messenger/([^/]+))", "connections_messenger", admin_route(t.access, Permission::shop_settings, [&h = t.messenger_connect](const HttpRequestView& r) { return h.connect(r); }));
    server.add(Method::get,  "/api/v1/webhooks",                      "webhooks_list",      admin_route(t.access, Permission::shop_settings, [&h = t.webhooks](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, "/api/v1/webhooks",                      "webhooks_create",    admin_route(t.access, Permission::shop_settings, [&h = t.webhooks](const HttpRequestView& r) { return h.create(r); }));
    server.add(Method::del,  R"(/api/v1/webhooks/([^/]+))",           "webhooks_delete",    admin_route(t.access, Permission::shop_settings, [&h = t.webhooks](const HttpRequestView& r) { return h.remove(r); }));
    server.add(Method::get,  R"(/api/v1/webhooks/([^/]+)/deliveries)", "webhooks_deliveries", admin_route(t.access, Permission::shop_settings, [&h = t.webhooks](const HttpRequestView& r) { return h.deliveries(r); }));
    server.add(Method::get,  "/api/v1/audit",                         "audit_list",         admin_route(t.access, Permission::shop_settings, [&h = t.settings](const HttpRequestView& r) { return h.audit_log(r); }));
    server.add(Method::get,  "/api/v1/products",                      "products_list",      admin_route(t.access, Permission::marketing, [&c = t.catalog](const HttpRequestView& r) { return c.list_products(r); }));
    server.add(Method::post, "/api/v1/products",                      "products_upsert",    admin_route(t.access, Permission::marketing, [&c = t.catalog](const HttpRequestView& r) { return c.upsert_products(r); }));
    server.add(Method::get,  "/api/v1/vouchers",                      "vouchers_list",      admin_route(t.access, Permission::marketing, [&c = t.catalog](const HttpRequestView& r) { return c.list_vouchers(r); }));
    server.add(Method::post, "/api/v1/vouchers",                      "vouchers_create",    admin_route(t.access, Permission::marketing, [&c = t.catalog](const HttpRequestView& r) { return c.create_campaign(r); }));
    server.add(Method::get,  R"(/api/v1/vouchers/codes/([^/]+))",     "vouchers_code",      [&c = t.catalog](const HttpRequestView& r) { return c.code_status(r); });
    server.add(Method::put,  R"(/api/v1/vouchers/([^/]+))",           "vouchers_update",    admin_route(t.access, Permission::marketing, [&c = t.catalog](const HttpRequestView& r) { return c.update_campaign(r); }));
    server.add(Method::post, R"(/api/v1/vouchers/([^/]+)/codes)",     "vouchers_import",    admin_route(t.access, Permission::marketing, [&c = t.catalog](const HttpRequestView& r) { return c.import_codes(r); }));
    server.add(Method::post, R"(/api/v1/vouchers/([^/]+)/generate)",  "vouchers_generate",  admin_route(t.access, Permission::marketing, [&c = t.catalog](const HttpRequestView& r) { return c.generate_codes(r); }));
    // Signing in to the console; every failed sign-in counts against the peer.
    server.add(Method::post, "/api/v1/session",                       "session_sign_in",    [&h = t.sessions](const HttpRequestView& r) { return h.sign_in(r); }, FailureGuard::always);
    server.add(Method::get,  "/api/v1/session",                       "session_get",        [&h = t.sessions](const HttpRequestView& r) { return h.current(r); });
    server.add(Method::del,  "/api/v1/session",                       "session_sign_out",   [&h = t.sessions](const HttpRequestView& r) { return h.sign_out(r); });
    server.add(Method::put,  "/api/v1/session/password",              "session_password",   admin_route(t.access, Permission::conversations, [&h = t.sessions](const HttpRequestView& r) { return h.change_password(r); }));
    server.add(Method::get,  "/api/v1/users",                         "users_list",         admin_route(t.access, Permission::people, [&h = t.users](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, "/api/v1/users",                         "users_create",       admin_route(t.access, Permission::people, [&h = t.users](const HttpRequestView& r) { return h.create(r); }));
    server.add(Method::put,  R"(/api/v1/users/([^/]+))",              "users_update",       admin_route(t.access, Permission::people, [&h = t.users](const HttpRequestView& r) { return h.update(r); }));
    server.add(Method::get,  "/api/v1/messages",                      "messages_list",      admin_route(t.access, Permission::conversations, [&h = t.messages](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, R"(/api/v1/messages/([^/]+)/retry)",     "messages_retry",     admin_route(t.access, Permission::conversations, [&h = t.messages](const HttpRequestView& r) { return h.retry(r); }));
    // The web console: static files; it signs in (a session, or the admin token) against the API above.
    server.add(Method::get,  "/admin",                  "console",       [&h = t.console](const HttpRequestView& r) { return h.file("index.html", r); });
    server.add(Method::get,  R"(/admin/([a-z0-9_.-]+))", "console_asset", [&h = t.console](const HttpRequestView& r) { return h.file(r.path_params.at(0), r); });
    // Zalo sends the OA admin's browser back here after its permission page: the state is the credential.
    server.add(Method::get,  "/oauth/zalo/callback", "zalo_oauth_callback", [&h = t.zalo_connect](const HttpRequestView& r) { return h.callback(r); });
    // A shopper's click on a link pheu sent: the token is the credential.
    server.add(Method::get,  R"(/r/([0-9A-Za-z]+))",  "short_link",        [&h = t.short_links](const HttpRequestView& r) { return h.follow(r); });
    server.add(Method::get,  "/healthz",            "healthz",           [&h = t.health](const HttpRequestView&) { return h.health(); });
    server.add(Method::get,  "/metrics",            "metrics",           [&h = t.health](const HttpRequestView&) { return h.metrics(); });
    // What every route above takes and answers (docs/openapi.json).
    server.add(Method::get,  "/api/v1/openapi.json", "openapi",          [](const HttpRequestView&) { return api_document(); });
    // clang-format on
}

} // namespace pheu::handlers
