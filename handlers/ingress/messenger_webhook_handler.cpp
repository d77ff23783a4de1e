#include "handlers/ingress/messenger_webhook_handler.h"

#include "bot/metrics.h"
#include "common/crypto.h"
#include "common/json_parse.h"
#include "handlers/ingress/inbox_submit.h"
#include "handlers/http/json_error.h"
#include "handlers/ingress/messenger_parser.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <utility>

namespace pheu::handlers {

using common::constant_time_equal;
using common::hmac_sha256_hex;
using common::sha256_hex;

namespace {
constexpr const char* k_source = bot::event_source_id(bot::EventSource::messenger);
constexpr std::string_view k_signature_prefix = "sha256=";
} // namespace

MessengerWebhookHandler::MessengerWebhookHandler(const std::vector<bot::MessengerPage>& pages, IngressContext context)
    : m_context(context) {
    for (const auto& page : pages) {
        m_pages.emplace(page.page_id, page);
    }
}

HttpReply MessengerWebhookHandler::reject(int status, const std::string& reason, const std::string& code,
                                          const std::string& message) const {
    m_context.metrics.request_rejected(k_source, reason);
    return json_error(status, code, message);
}

HttpReply MessengerWebhookHandler::verify(const HttpRequestView& request) const {
    const std::string mode = request.query("hub.mode");
    const std::string token = request.query("hub.verify_token");
    bool token_known = false;
    for (const auto& [page_id, page] : m_pages) {
        token_known |= common::constant_time_equal(token, page.verify_token);
    }
    if (mode != "subscribe" || token.empty() || !token_known) {
        return reject(403, "bad_verify_token", "forbidden", "The verify token does not match.");
    }
    return HttpReply{200, request.query("hub.challenge"), "text/plain", {}};
}

void MessengerWebhookHandler::handle(const HttpRequestView& request, ReplySink reply) const {
    const std::int64_t received_ms = m_context.clock();
    const nlohmann::json body = common::parse_json(request.body);
    if (body.is_discarded() || !body.is_object() || !body.contains("object") || !body["object"].is_string() ||
        !body.contains("entry") || !body["entry"].is_array()) {
        return reply(
            reject(400, "invalid_json", "invalid_body", "The body must be a JSON object with object and entry."));
    }
    const std::string page_id = messenger_page_id(body);
    auto page = m_pages.find(page_id);
    if (page == m_pages.end()) {
        return reply(reject(401, "unknown_account", "unknown_account", "No configured page matches entry[0].id."));
    }
    const std::string signature = request.header("X-Hub-Signature-256");
    if (signature.size() <= k_signature_prefix.size() ||
        signature.compare(0, k_signature_prefix.size(), k_signature_prefix) != 0 ||
        !common::constant_time_equal(signature.substr(k_signature_prefix.size()),
                                     common::hmac_sha256_hex(page->second.app_secret, request.body))) {
        return reply(
            reject(401, "bad_signature", "invalid_signature", "The X-Hub-Signature-256 does not match the body."));
    }
    const HttpReply received{200, "EVENT_RECEIVED", "text/plain", {}};
    // Meta signs a batch with the secret of the app its pages are subscribed to, so only the
    // pages configured with the secret that verified it may speak in it; an entry of any
    // other page is forged or misrouted, and storing it would let one page's secret speak
    // for another page's customers.
    const std::string& verified_secret = page->second.app_secret;
    MessengerEvents parsed = parse_messenger_events(body, received_ms, [&](const std::string& entry_page) {
        const auto known = m_pages.find(entry_page);
        return known != m_pages.end() && common::constant_time_equal(known->second.app_secret, verified_secret);
    });
    for (std::size_t i = 0; i < parsed.refused_entries; ++i) {
        m_context.metrics.request_rejected(k_source, "entry_of_other_app");
    }
    if (parsed.refused_entries > 0) {
        spdlog::warn("messenger: {} entries of pages not configured with the app secret that signed the batch "
                     "were refused",
                     parsed.refused_entries);
    }
    auto events = std::move(parsed.events);
    if (events.empty()) {
        return reply(received);
    }
    submit_then_reply(
        m_context, std::move(events), received_ms,
        [received](const std::optional<SubmitOutcome>& outcome) {
            return outcome ? received
                           : json_error(503, "storage_unavailable",
                                        "The events could not be stored; please deliver them again.");
        },
        std::move(reply));
}

} // namespace pheu::handlers
