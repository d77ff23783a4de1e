#include "handlers/admin/import_handler.h"

#include "common/json_parse.h"
#include "bot/metrics.h"
#include "handlers/admin/admin_common.h"
#include "handlers/admin/import_parser.h"
#include "handlers/ingress/inbox_submit.h"
#include "handlers/http/json_error.h"

#include <nlohmann/json.hpp>

#include <utility>

namespace pheu::handlers {

ImportHandler::ImportHandler(std::string admin_token, IngressContext context, const std::string& zone_name)
    : m_admin_token(std::move(admin_token)), m_context(context), m_zone(zone_name) {}

void ImportHandler::handle(const HttpRequestView& request, ReplySink reply) const {
    if (m_admin_token.empty() || !bearer_token_matches(request.header("Authorization"), m_admin_token)) {
        return reply(admin_unauthorised());
    }
    const std::int64_t now = m_context.clock();
    ImportParseResult parsed;
    if (request.header("Content-Type").rfind("text/csv", 0) == 0) {
        parsed = parse_import_csv(std::string(request.body), request.query("kind"), m_zone, now);
    } else {
        const nlohmann::json document = common::parse_json(request.body);
        if (document.is_discarded()) {
            return reply(json_error(400, "invalid_json", "The body is not valid JSON."));
        }
        parsed = parse_import_json(document, m_zone, now);
    }
    if (parsed.error) {
        m_context.metrics.request_rejected(k_import_source, "invalid_row");
        return reply(json_error(400, *parsed.error));
    }
    submit_then_reply(m_context, std::move(parsed.events), now, accepted_or_unavailable, std::move(reply));
}

} // namespace pheu::handlers
