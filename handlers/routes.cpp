#include "handlers/routes.h"

#include "handlers/admin/admin_common.h"
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
#include "handlers/ingress/messenger_webhook_handler.h"
#include "handlers/ingress/miniapp_handler.h"
#include "handlers/ingress/short_link_handler.h"
#include "handlers/admin/playbook_handler.h"
#include "handlers/admin/reports_handler.h"
#include "handlers/admin/segments_handler.h"
#include "handlers/admin/settings_handler.h"
#include "handlers/admin/templates_handler.h"
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
    // The admin API: admin_route answers 401 without the admin token before the handler runs.
    // The one exception reads a voucher code with the admin or the events token (the shop's
    // POS asks), and checks it itself; so does the import above, a deferred route.
    server.add(Method::get,  "/api/v1/customers",                     "customers_list",     admin_route(t.admin_token, [&c = t.customers](const HttpRequestView& r) { return c.list(r); }));
    server.add(Method::get,  "/api/v1/customers/export.csv",          "customers_export",   admin_route(t.admin_token, [&c = t.customers](const HttpRequestView& r) { return c.export_csv(r); }));
    server.add(Method::get,  R"(/api/v1/customers/([^/]+))",          "customers_get",      admin_route(t.admin_token, [&c = t.customers](const HttpRequestView& r) { return c.get(r); }));
    server.add(Method::get,  R"(/api/v1/customers/([^/]+)/messages)", "customers_messages", admin_route(t.admin_token, [&c = t.customers](const HttpRequestView& r) { return c.messages(r); }));
    server.add(Method::get,  R"(/api/v1/customers/([^/]+)/export)",   "customers_personal_export", admin_route(t.admin_token, [&p = t.personal_data](const HttpRequestView& r) { return p.export_all(r); }));
    server.add(Method::del,  R"(/api/v1/customers/([^/]+))",          "customers_erase",    admin_route(t.admin_token, [&p = t.personal_data](const HttpRequestView& r) { return p.erase(r); }));
    server.add(Method::post, R"(/api/v1/customers/([^/]+)/reply)",    "customers_reply",    admin_route(t.admin_token, [&s = t.staff_replies](const HttpRequestView& r) { return s.reply(r); }));
    server.add(Method::get,  "/api/v1/reports/messages",              "reports_messages",   admin_route(t.admin_token, [&h = t.reports](const HttpRequestView& r) { return h.messages(r); }));
    server.add(Method::get,  "/api/v1/reports/funnel",                "reports_funnel",     admin_route(t.admin_token, [&h = t.reports](const HttpRequestView& r) { return h.funnel(r); }));
    server.add(Method::get,  "/api/v1/segments",                      "segments_list",      admin_route(t.admin_token, [&h = t.segments](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, "/api/v1/segments",                      "segments_create",    admin_route(t.admin_token, [&h = t.segments](const HttpRequestView& r) { return h.create(r); }));
    server.add(Method::post, "/api/v1/segments/count",                "segments_count",     admin_route(t.admin_token, [&h = t.segments](const HttpRequestView& r) { return h.count(r); }));
    server.add(Method::get,  R"(/api/v1/segments/([^/]+))",           "segments_get",       admin_route(t.admin_token, [&h = t.segments](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::put,  R"(/api/v1/segments/([^/]+))",           "segments_put",       admin_route(t.admin_token, [&h = t.segments](const HttpRequestView& r) { return h.put(r); }));
    server.add(Method::del,  R"(/api/v1/segments/([^/]+))",           "segments_delete",    admin_route(t.admin_token, [&h = t.segments](const HttpRequestView& r) { return h.remove(r); }));
    server.add(Method::get,  R"(/api/v1/segments/([^/]+)/customers)", "segments_customers", admin_route(t.admin_token, [&h = t.segments](const HttpRequestView& r) { return h.customers(r); }));
    server.add(Method::get,  R"(/api/v1/segments/([^/]+)/export.csv)", "segments_export",   admin_route(t.admin_token, [&h = t.segments](const HttpRequestView& r) { return h.export_csv(r); }));
    server.add(Method::get,  "/api/v1/broadcasts",                    "broadcasts_list",    admin_route(t.admin_token, [&h = t.broadcasts](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, "/api/v1/broadcasts",                    "broadcasts_create",  admin_route(t.admin_token, [&h = t.broadcasts](const HttpRequestView& r) { return h.create(r); }));
    server.add(Method::post, "/api/v1/broadcasts/estimate",           "broadcasts_estimate", admin_route(t.admin_token, [&h = t.broadcasts](const HttpRequestView& r) { return h.estimate(r); }));
    server.add(Method::get,  R"(/api/v1/broadcasts/([^/]+))",         "broadcasts_get",     admin_route(t.admin_token, [&h = t.broadcasts](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::post, R"(/api/v1/broadcasts/([^/]+)/pause)",   "broadcasts_pause",   admin_route(t.admin_token, [&h = t.broadcasts](const HttpRequestView& r) { return h.pause(r); }));
    server.add(Method::post, R"(/api/v1/broadcasts/([^/]+)/resume)",  "broadcasts_resume",  admin_route(t.admin_token, [&h = t.broadcasts](const HttpRequestView& r) { return h.resume(r); }));
    server.add(Method::post, R"(/api/v1/broadcasts/([^/]+)/test)",    "broadcasts_test",    admin_route(t.admin_token, [&h = t.broadcasts](const HttpRequestView& r) { return h.test(r); }));
    server.add(Method::post, R"(/api/v1/broadcasts/([^/]+)/cancel)",  "broadcasts_cancel",  admin_route(t.admin_token, [&h = t.broadcasts](const HttpRequestView& r) { return h.cancel(r); }));
    server.add(Method::get,  "/api/v1/templates",                     "templates_list",     admin_route(t.admin_token, [&h = t.templates](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, "/api/v1/templates",                     "templates_create",   admin_route(t.admin_token, [&h = t.templates](const HttpRequestView& r) { return h.create(r); }));
    server.add(Method::get,  R"(/api/v1/templates/([^/]+))",          "templates_get",      admin_route(t.admin_token, [&h = t.templates](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::put,  R"(/api/v1/templates/([^/]+))",          "templates_put",      admin_route(t.admin_token, [&h = t.templates](const HttpRequestView& r) { return h.put(r); }));
    server.add(Method::del,  R"(/api/v1/templates/([^/]+))",          "templates_delete",   admin_route(t.admin_token, [&h = t.templates](const HttpRequestView& r) { return h.remove(r); }));
    server.add(Method::get,  R"(/api/v1/templates/([^/]+)/versions)", "templates_versions", admin_route(t.admin_token, [&h = t.templates](const HttpRequestView& r) { return h.versions(r); }));
    server.add(Method::post, R"(/api/v1/templates/([^/]+)/rollback)", "templates_rollback", admin_route(t.admin_token, [&h = t.templates](const HttpRequestView& r) { return h.rollback(r); }));
    server.add(Method::post, R"(/api/v1/templates/([^/]+)/preview)",  "templates_preview",  admin_route(t.admin_token, [&h = t.templates](const HttpRequestView& r) { return h.preview(r); }));
    server.add(Method::get,  "/api/v1/playbook",                      "playbook_get",       admin_route(t.admin_token, [&h = t.playbook](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::put,  R"(/api/v1/playbook/rules/([^/]+))",     "playbook_rule",      admin_route(t.admin_token, [&h = t.playbook](const HttpRequestView& r) { return h.put_rule(r); }));
    server.add(Method::put,  R"(/api/v1/playbook/journeys/([^/]+))",  "playbook_journey",   admin_route(t.admin_token, [&h = t.playbook](const HttpRequestView& r) { return h.put_journey(r); }));
    server.add(Method::get,  "/api/v1/settings",                      "settings_get",       admin_route(t.admin_token, [&h = t.settings](const HttpRequestView& r) { return h.get(r); }));
    server.add(Method::post, "/api/v1/settings/stage_thresholds/preview", "settings_stage_preview", admin_route(t.admin_token, [&h = t.settings](const HttpRequestView& r) { return h.preview_stages(r); }));
    server.add(Method::put,  R"(/api/v1/settings/([^/]+))",           "settings_put",       admin_route(t.admin_token, [&h = t.settings](const HttpRequestView& r) { return h.put(r); }));
    server.add(Method::get,  "/api/v1/connections",                   "connections",        admin_route(t.admin_token, [&h = t.health](const HttpRequestView&) { return h.connections(); }));
    server.add(Method::get,  "/api/v1/audit",                         "audit_list",         admin_route(t.admin_token, [&h = t.settings](const HttpRequestView& r) { return h.audit_log(r); }));
    server.add(Method::get,  "/api/v1/products",                      "products_list",      admin_route(t.admin_token, [&c = t.catalog](const HttpRequestView& r) { return c.list_products(r); }));
    server.add(Method::post, "/api/v1/products",                      "products_upsert",    admin_route(t.admin_token, [&c = t.catalog](const HttpRequestView& r) { return c.upsert_products(r); }));
    server.add(Method::get,  "/api/v1/vouchers",                      "vouchers_list",      admin_route(t.admin_token, [&c = t.catalog](const HttpRequestView& r) { return c.list_vouchers(r); }));
    server.add(Method::post, "/api/v1/vouchers",                      "vouchers_create",    admin_route(t.admin_token, [&c = t.catalog](const HttpRequestView& r) { return c.create_campaign(r); }));
    server.add(Method::get,  R"(/api/v1/vouchers/codes/([^/]+))",     "vouchers_code",      [&c = t.catalog](const HttpRequestView& r) { return c.code_status(r); });
    server.add(Method::put,  R"(/api/v1/vouchers/([^/]+))",           "vouchers_update",    admin_route(t.admin_token, [&c = t.catalog](const HttpRequestView& r) { return c.update_campaign(r); }));
    server.add(Method::post, R"(/api/v1/vouchers/([^/]+)/codes)",     "vouchers_import",    admin_route(t.admin_token, [&c = t.catalog](const HttpRequestView& r) { return c.import_codes(r); }));
    server.add(Method::post, R"(/api/v1/vouchers/([^/]+)/generate)",  "vouchers_generate",  admin_route(t.admin_token, [&c = t.catalog](const HttpRequestView& r) { return c.generate_codes(r); }));
    server.add(Method::get,  "/api/v1/messages",                      "messages_list",      admin_route(t.admin_token, [&h = t.messages](const HttpRequestView& r) { return h.list(r); }));
    server.add(Method::post, R"(/api/v1/messages/([^/]+)/retry)",     "messages_retry",     admin_route(t.admin_token, [&h = t.messages](const HttpRequestView& r) { return h.retry(r); }));
    // The web console: static files; it signs in with the admin token against the API above.
    server.add(Method::get,  "/admin",                  "console",       [&h = t.console](const HttpRequestView& r) { return h.file("index.html", r); });
    server.add(Method::get,  R"(/admin/([a-z0-9_.-]+))", "console_asset", [&h = t.console](const HttpRequestView& r) { return h.file(r.path_params.at(0), r); });
    // A shopper's click on a link pheu sent: the token is the credential.
    server.add(Method::get,  R"(/r/([0-9A-Za-z]+))",  "short_link",        [&h = t.short_links](const HttpRequestView& r) { return h.follow(r); });
    server.add(Method::get,  "/healthz",            "healthz",           [&h = t.health](const HttpRequestView&) { return h.health(); });
    server.add(Method::get,  "/metrics",            "metrics",           [&h = t.health](const HttpRequestView&) { return h.metrics(); });
    // What every route above takes and answers (docs/openapi.json).
    server.add(Method::get,  "/api/v1/openapi.json", "openapi",          [](const HttpRequestView&) { return api_document(); });
    // clang-format on
}

} // namespace pheu::handlers
