#include "handlers/admin/messages_handler.h"

#include "common/time_format.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/customer_queries.h"
#include "store/delivery_store.h"
#include "store/outbox_kind.h"
#include "store/read_pool.h"

namespace pheu::handlers {

using nlohmann::json;

json message_json(const store::MessageRow& row) {
    return {{"id", std::to_string(row.id)},
            {"customer_id", std::to_string(row.customer_id)},
            {"channel", row.channel},
            {"status", row.status},
            {"reason", text_or_null(row.reason)},
            {"trigger", row.trigger},
            {"template", text_or_null(row.template_id)},
            {"text", text_or_null(row.text)},
            {"created_at", common::format_rfc3339_utc(row.created_at)},
            {"attempts", row.attempts},
            {"via", text_or_null(row.via)},
            {"platform_message_id", text_or_null(row.platform_message_id)},
            {"platform_code", text_or_null(row.platform_code)},
            {"sent_at", time_or_null(row.sent_at)},
            {"delivered_at", time_or_null(row.delivered_at)},
            {"seen_at", time_or_null(row.seen_at)}};
}

MessagesHandler::MessagesHandler(store::ReadPool& reads, store::AdminWriter& writer,
                                 std::function<std::int64_t()> clock, std::function<void()> outbox_changed)
    : m_reads(reads), m_writer(writer), m_clock(std::move(clock)), m_outbox_changed(std::move(outbox_changed)) {}

HttpReply MessagesHandler::list(const HttpRequestView& request) const {
    store::MessageFilter filter;
    if (const std::string status = request.query("status"); !status.empty()) {
        if (!store::parse_outbox_status(status)) {
            return json_error(400, "invalid_query", "status must be sandboxed, queued, sent, failed or skipped.",
                              "status");
        }
        filter.status = status;
    }
    if (const std::string reason = request.query("reason"); !reason.empty()) {
        filter.reason_prefix = reason;
    }
    if (const std::string channel = request.query("channel"); !channel.empty()) {
        filter.channel = channel;
    }
    const auto limit = limit_param(request, 50, 500);
    if (!limit) {
        return json_error(400, "invalid_query", "limit must be a whole number from 1 to 500.", "limit");
    }
    auto cursor = cursor_param(request);
    if (auto* reply = std::get_if<HttpReply>(&cursor)) {
        return *reply;
    }
    filter.before_id = std::get<std::optional<std::int64_t>>(cursor);
    filter.limit = *limit + 1;
    auto lease = m_reads.lease();
    auto rows = store::CustomerQueries(lease.db()).list_messages(filter);
    const json next_cursor = next_page_cursor(rows, *limit);
    json items = json::array();
    for (const auto& row : rows) {
        items.push_back(message_json(row));
    }
    return ok_json({{"items", items}, {"next_cursor", next_cursor}});
}

HttpReply MessagesHandler::retry(const HttpRequestView& request) const {
    const auto id = parse_positive(request.path_params.at(0));
    if (!id) {
        return json_error(404, "not_found", "No message has this id.");
    }
    const bool queued = m_writer.write([&](store::sql::Connection& db) {
        if (!store::DeliveryStore(db).requeue(*id, m_clock())) {
            return false;
        }
        audit(db, request, "message.retry", std::to_string(*id), json::object(), m_clock());
        return true;
    });
    if (!queued) {
        return json_error(409, "not_retryable",
                          "Only a failed or skipped message that was rendered for a channel can be retried.");
    }
    if (m_outbox_changed) {
        m_outbox_changed();
    }
    return ok_json({{"id", std::to_string(*id)}, {"status", "queued"}});
}

} // namespace pheu::handlers
