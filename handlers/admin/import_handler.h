#pragma once
// POST /api/v1/import: a shop's history (customers and past orders, JSON or CSV) recorded at
// the events' own times, with no rule fired and no message written (handlers/admin/import_parser.h).
#include "common/shop_time.h"
#include "handlers/http/http_exchange.h"
#include "handlers/ingress/ingress_context.h"

#include <string>

namespace pheu::handlers {

class ImportHandler {
public:
    ImportHandler(std::string admin_token, IngressContext context, const std::string& zone_name);

    // Runs on the HTTP event loop and never blocks, as the events API: 400 with the first bad
    // row (its JSON path, or its spreadsheet line), else 202 {"accepted","duplicates"} once
    // every row is durable.
    void handle(const HttpRequestView& request, ReplySink reply) const;

private:
    std::string m_admin_token;
    IngressContext m_context;
    common::ShopTime m_zone;
};

} // namespace pheu::handlers
