#include "handlers/routes.h"

#include "handlers/catalog_handler.h"
#include "handlers/customers_handler.h"
#include "handlers/events_api_handler.h"
#include "handlers/health_handler.h"
#include "handlers/http_server.h"
#include "handlers/messenger_webhook_handler.h"
#include "handlers/templates_handler.h"
#include "handlers/zalo_webhook_handler.h"

namespace pheu::handlers {

void register_routes(HttpServer& server, const RouteTargets& targets) {
    const auto& t = targets;
    // clang-format off
    server.add(Method::post, "/webhooks/zalo",      "zalo_webhook",      [&z = t.zalo](const HttpRequestView& r) { return z.handle(r); });
    server.add(Method::get,  "/webhooks/messenger", "messenger_verify",  [&m = t.messenger](const HttpRequestView& r) { return m.verify(r); });
    server.add(Method::post, "/webhooks/messenger", "messenger_webhook", [&m = t.messenger](const HttpRequestView& r) { return m.handle(r); });
    server.add(Method::post, "/api/v1/events",      "events_api",        [&e = t.events](const HttpRequestView& r) { return e.handle(r); });
    server.add(Method::get,  "/api/v1/customers",                  "customers_list",     [&c = t.customers](const HttpRequestView& r) { return c.list(r); });
    server.add(Method::get,  R"(/api/v1/customers/([^/]+))",          "customers_get",      [&c = t.customers](const HttpRequestView& r) { return c.get(r); });
    server.add(Method::get,  R"(/api/v1/customers/([^/]+)/messages)", "customers_messages", [&c = t.customers](const HttpRequestView& r) { return c.messages(r); });
    server.add(Method::get,  "/api/v1/reports/funnel",             "reports_funnel",     [&c = t.customers](const HttpRequestView& r) { return c.funnel(r); });
    server.add(Method::get,  "/api/v1/templates",                  "templates_list",     [&h = t.templates](const HttpRequestView& r) { return h.list(r); });
    server.add(Method::get,  R"(/api/v1/templates/([^/]+))",          "templates_get",      [&h = t.templates](const HttpRequestView& r) { return h.get(r); });
    server.add(Method::put,  R"(/api/v1/templates/([^/]+))",          "templates_put",      [&h = t.templates](const HttpRequestView& r) { return h.put(r); });
    server.add(Method::post, R"(/api/v1/templates/([^/]+)/preview)",  "templates_preview",  [&h = t.templates](const HttpRequestView& r) { return h.preview(r); });
    server.add(Method::get,  "/api/v1/products",                   "products_list",      [&c = t.catalog](const HttpRequestView& r) { return c.list_products(r); });
    server.add(Method::post, "/api/v1/products",                   "products_upsert",    [&c = t.catalog](const HttpRequestView& r) { return c.upsert_products(r); });
    server.add(Method::get,  "/api/v1/vouchers",                   "vouchers_list",      [&c = t.catalog](const HttpRequestView& r) { return c.list_vouchers(r); });
    server.add(Method::post, R"(/api/v1/vouchers/([^/]+)/codes)",     "vouchers_import",    [&c = t.catalog](const HttpRequestView& r) { return c.import_codes(r); });
    server.add(Method::get,  "/healthz",            "healthz",           [&h = t.health](const HttpRequestView&) { return h.health(); });
    server.add(Method::get,  "/metrics",            "metrics",           [&h = t.health](const HttpRequestView&) { return h.metrics(); });
    // clang-format on
}

} // namespace pheu::handlers
