#include "handlers/ingress/zalo_webhook_handler.h"

#include "bot/metrics.h"
#include "common/crypto.h"
#include "common/json_parse.h"
#include "handlers/http/exception_text.h"
#include "handlers/ingress/inbox_submit.h"
#include "handlers/http/json_error.h"
#include "handlers/ingress/zalo_parser.h"
#include "handlers/ingress/zalo_signature.h"
#include "store/inbox_writer.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

namespace pheu::handlers {

using common::constant_time_equal;
using common::hmac_sha256_hex;
using common::sha256_hex;

namespace {
constexpr const char* k_source = bot::event_source_id(bot::EventSource::zalo);
const HttpReply k_ok{200, R"({"status":"ok"})", "application/json", {}};
} // namespace

ZaloWebhookHandler::ZaloWebhookHandler(const std::vector<bot::ZaloAccount>& accounts, IngressContext context)
    : m_context(context) {
    for (const auto& account : accounts) {
        m_by_app_id.emplace(account.app_id, account);
    }
    for (const auto& [app_id, account] : m_by_app_id) {
        m_by_oa_id.emplace(account.oa_id, &account);
    }
}

const bot::ZaloAccount* ZaloWebhookHandler::find_account(const std::string& app_id, const std::string& oa_id) const {
    if (!app_id.empty()) {
        auto found = m_by_app_id.find(app_id);
        return found == m_by_app_id.end() ? nullptr : &found->second;
    }
    auto found = m_by_oa_id.find(oa_id);
    return found == m_by_oa_id.end() ? nullptr : found->second;
}

HttpReply ZaloWebhookHandler::reject(int status, const std::string& reason, const std::string& code,
                                     const std::string& message) const {
    m_context.metrics.request_rejected(k_source, reason);
    return json_error(status, code, message);
}

void ZaloWebhookHandler::handle(const HttpRequestView& request, ReplySink reply) const {
    const std::int64_t received_ms = m_context.clock();
    const nlohmann::json body = common::parse_json(request.body);
    if (body.is_discarded() || !body.is_object()) {
        return reply(reject(400, "invalid_json", "invalid_json", "The body must be a JSON object."));
    }

    const ZaloAccountKey key = zalo_account_key(body);
    const bot::ZaloAccount* account = find_account(key.app_id, key.oa_id);
    const std::string signature = request.header("X-ZEvent-Signature");
    if (signature.empty()) {
        return reply(
            reject(401, "missing_signature", "invalid_signature", "The X-ZEvent-Signature header is missing."));
    }
    if (account == nullptr) {
        return reply(
            reject(401, "unknown_account", "unknown_account", "No configured Zalo account matches this event."));
    }
    std::string timestamp = zalo_signature_timestamp(request.body, body);
    bool verified = zalo_signature_matches(signature, account->app_id, request.body, timestamp, account->oa_secret_key);
    if (!verified && timestamp.empty()) {
        // Some senders put the timestamp in a header instead of the body (UNCONFIRMED in
        // docs/platforms.md): accept that variant too.
        timestamp = request.header("X-ZEvent-Timestamp");
        verified = !timestamp.empty() &&
                   zalo_signature_matches(signature, account->app_id, request.body, timestamp, account->oa_secret_key);
    }
    if (!verified) {
        return reply(
            reject(401, "bad_signature", "invalid_signature", "The X-ZEvent-Signature does not match the body."));
    }

    auto event_name = body.find("event_name");
    if (event_name == body.end() || !event_name->is_string() || event_name->get_ref<const std::string&>().empty()) {
        // Authentic but unusable: keep it for inspection, never process it. The 400 goes
        // out once it is kept (or could not be).
        store::InboxRecord record{"zalo:rejected:" + common::sha256_hex({request.body}),
                                  k_source,
                                  account->oa_id,
                                  "rejected",
                                  received_ms,
                                  received_ms,
                                  store::InboxState::rejected,
                                  "{}",
                                  std::string(request.body)};
        m_context.inbox.write_async(
            {std::move(record)}, [this, reply = std::move(reply)](const auto&, auto, std::exception_ptr error) {
                if (error) {
                    spdlog::error("inbox: could not keep a rejected Zalo body: {}", exception_text(error));
                }
                reply(reject(400, "missing_event_name", "missing_field", "The event has no event_name."));
            });
        return;
    }

    std::vector<ParsedEvent> parsed(1);
    parsed.front().event = parse_zalo_event(body, received_ms);
    parsed.front().event.account_id = account->oa_id;
    parsed.front().raw = request.body;
    submit_then_reply(
        m_context, std::move(parsed), received_ms,
        [](const std::optional<SubmitOutcome>& outcome) {
            return outcome ? k_ok
                           : json_error(503, "storage_unavailable",
                                        "The event could not be stored; please deliver it again.");
        },
        std::move(reply));
}

} // namespace pheu::handlers
