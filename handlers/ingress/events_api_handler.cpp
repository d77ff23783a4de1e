#include "handlers/ingress/events_api_handler.h"

#include "bot/metrics.h"
#include "common/json_parse.h"
#include "handlers/ingress/events_api_parser.h"
#include "handlers/ingress/inbox_submit.h"
#include "handlers/http/json_error.h"

#include <nlohmann/json.hpp>

#include <utility>

namespace pheu::handlers {

namespace {
constexpr const char* k_source = bot::event_source_id(bot::EventSource::events_api);
}

void accept_events(const IngressContext& context, const char* source, std::string_view body,
                   const std::function<EventsParseResult(const nlohmann::json&)>& parse, ReplySink reply) {
    const std::int64_t received_ms = context.clock();
    const nlohmann::json document = common::parse_json(body);
    if (document.is_discarded()) {
        context.metrics.request_rejected(source, "invalid_json");
        return reply(json_error(400, "invalid_json", "The body is not valid JSON."));
    }
    EventsParseResult parsed = parse(document);
    if (parsed.error) {
        context.metrics.request_rejected(source, "invalid_event");
        return reply(json_error(400, *parsed.error));
    }
    submit_then_reply(context, std::move(parsed.events), received_ms, accepted_or_unavailable, std::move(reply));
}

EventsApiHandler::EventsApiHandler(std::string events_token, IngressContext context)
    : m_events_token(std::move(events_token)), m_context(context) {}

void EventsApiHandler::handle(const HttpRequestView& request, ReplySink reply) const {
    if (!bearer_token_matches(request.header("Authorization"), m_events_token)) {
        m_context.metrics.request_rejected(k_source, "bad_token");
        return reply(
            json_error(401, "unauthorized", "A valid events token is required: Authorization: Bearer <events_token>."));
    }
    accept_events(
        m_context, k_source, request.body,
        [this](const nlohmann::json& body) { return parse_events_request(body, m_context.clock()); }, std::move(reply));
}

} // namespace pheu::handlers
