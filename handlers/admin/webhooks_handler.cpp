#include "handlers/admin/webhooks_handler.h"

#include "bot/delivery/outbound_webhooks.h"
#include "common/text_fold.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/read_pool.h"
#include "store/webhook_store.h"

#include <nlohmann/json.hpp>

#include <set>

namespace pheu::handlers {

using nlohmann::json;

namespace {

json endpoint_json(const store::WebhookEndpoint& endpoint, const store::WebhookCounts& counts) {
    return {{"id", std::to_string(endpoint.id)},
            {"url", endpoint.url},
            {"events", json::parse(endpoint.events_json, nullptr, false)},
            {"description", endpoint.description},
            {"secret", endpoint.secret},
            {"active", endpoint.active},
            {"created_at", time_or_null(endpoint.created_at)},
            {"deliveries", {{"pending", counts.pending}, {"delivered", counts.delivered}, {"failed", counts.failed}}}};
}

json delivery_json(const store::WebhookDelivery& delivery) {
    return {{"id", std::to_string(delivery.id)},
            {"webhook_id", bot::webhook_message_id(delivery.id)},
            {"event_type", delivery.event_type},
            {"status", delivery.status},
            {"attempts", delivery.attempts},
            {"last_status", delivery.last_status ? json(*delivery.last_status) : json(nullptr)},
            {"last_error", text_or_null(delivery.last_error.empty() ? std::nullopt
                                                                    : std::optional<std::string>(delivery.last_error))},
            {"created_at", time_or_null(delivery.created_at)},
            {"delivered_at", time_or_null(delivery.delivered_at)},
            {"next_attempt_at", delivery.status == "pending" ? time_or_null(delivery.next_attempt_at) : json(nullptr)},
            {"payload", json::parse(delivery.payload, nullptr, false)}};
}

} // namespace

WebhooksHandler::WebhooksHandler(store::ReadPool& reads, store::AdminWriter& writer,
                                 std::function<std::int64_t()> clock)
    : m_reads(reads), m_writer(writer), m_clock(std::move(clock)) {}

HttpReply WebhooksHandler::list(const HttpRequestView&) const {
    auto lease = m_reads.lease();
    store::WebhookStore webhooks(lease.db());
    json items = json::array();
    for (const auto& endpoint : webhooks.endpoints()) {
        items.push_back(endpoint_json(endpoint, webhooks.counts(endpoint.id)));
    }
    return ok_json({{"items", items}});
}

HttpReply WebhooksHandler::create(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        const auto url_field = body.find("url");
        const std::string url =
            url_field != body.end() && url_field->is_string() ? common::trimmed(url_field->get<std::string>()) : "";
        if ((url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) || url.size() > 500 ||
            url.find_first_of(" \t\r\n") != std::string::npos) {
            return json_error(400, "invalid_field", "url must be the http(s) address of the shop's receiver.", "/url");
        }
        const auto events = body.find("events");
        std::set<std::string> chosen;
        if (events == body.end() || !events->is_array() || events->empty()) {
            return json_error(400, "invalid_field", "events must list at least one event type.", "/events");
        }
        for (std::size_t i = 0; i < events->size(); ++i) {
            const json& event = (*events)[i];
            if (!event.is_string() || !common::parse_id(bot::k_webhook_event_ids, event.get<std::string>())) {
                return json_error(400, "invalid_field",
                                  "events: each is one of customer.stage_changed, voucher.issued, voucher.redeemed, "
                                  "message.failed, customer.opted_out.",
                                  "/events/" + std::to_string(i));
            }
            chosen.insert(event.get<std::string>());
        }
        const auto description = body.find("description");
        const std::int64_t now = m_clock();
        store::WebhookEndpoint endpoint{
            .id = 0,
            .url = url,
            .events_json = json(chosen).dump(),
            .secret = bot::new_webhook_secret(),
            .description = description != body.end() && description->is_string() ? description->get<std::string>() : "",
            .active = true,
            .created_at = now};
        return m_writer.write([&](store::sql::Connection& db) {
            endpoint.id = store::WebhookStore(db).create(endpoint);
            audit(db, request, "webhook.create", std::to_string(endpoint.id), {{"url", url}, {"events", chosen}}, now);
            return ok_json(endpoint_json(endpoint, {}), 201);
        });
    });
}

HttpReply WebhooksHandler::remove(const HttpRequestView& request) const {
    const auto id = parse_positive(request.path_params.at(0));
    const std::int64_t now = m_clock();
    return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
        if (!id || !store::WebhookStore(db).remove(*id)) {
            return json_error(404, "not_found", "No webhook endpoint has this id.");
        }
        audit(db, request, "webhook.delete", std::to_string(*id), json::object(), now);
        return HttpReply{.status = 204, .body = "", .content_type = "application/json", .headers = {}};
    });
}

HttpReply WebhooksHandler::deliveries(const HttpRequestView& request) const {
    const auto id = parse_positive(request.path_params.at(0));
    const auto limit = limit_param(request, 50, 200);
    if (!limit) {
        return json_error(400, "invalid_query", "limit must be a number from 1 to 200.");
    }
    auto cursor = cursor_param(request);
    if (auto* reply = std::get_if<HttpReply>(&cursor)) {
        return *reply;
    }
    auto lease = m_reads.lease();
    store::WebhookStore webhooks(lease.db());
    if (!id || !webhooks.endpoint(*id)) {
        return json_error(404, "not_found", "No webhook endpoint has this id.");
    }
    auto rows = webhooks.deliveries(*id, *limit + 1, std::get<std::optional<std::int64_t>>(cursor));
    const json next = next_page_cursor(rows, *limit);
    json items = json::array();
    for (const auto& delivery : rows) {
        items.push_back(delivery_json(delivery));
    }
    return ok_json({{"items", items}, {"next_cursor", next}});
}

} // namespace pheu::handlers
