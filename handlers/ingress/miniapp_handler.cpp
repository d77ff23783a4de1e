#include "handlers/ingress/miniapp_handler.h"

#include "bot/inbound_event.h"
#include "bot/metrics.h"
#include "bot/customers/miniapp_identity.h"
#include "common/keyed_rate_limit.h"
#include "handlers/ingress/events_api_handler.h"
#include "handlers/ingress/events_api_parser.h"
#include "handlers/ingress/inbox_submit.h"
#include "handlers/http/json_error.h"
#include "store/inbox_store.h"
#include "store/read_pool.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace pheu::handlers {

using nlohmann::json;

namespace {

constexpr const char* k_source = bot::event_source_id(bot::EventSource::miniapp);
constexpr const char* k_token_header = "X-Zalo-Access-Token";
// The phone answer waits this long for the worker to file the number under a customer.
constexpr auto k_phone_wait = std::chrono::seconds(5);

HttpReply with_headers(HttpReply reply, const std::vector<std::pair<std::string, std::string>>& headers) {
    reply.headers.insert(reply.headers.end(), headers.begin(), headers.end());
    return reply;
}

} // namespace

MiniAppHandler::MiniAppHandler(MiniAppEndpoints endpoints, IngressContext ingress, store::ReadPool& reads)
    : m_endpoints(std::move(endpoints)), m_ingress(ingress), m_reads(reads) {}

bool MiniAppHandler::origin_allowed(const std::string& origin) const {
    return std::find(m_endpoints.allowed_origins.begin(), m_endpoints.allowed_origins.end(), origin) !=
           m_endpoints.allowed_origins.end();
}

std::vector<std::pair<std::string, std::string>> MiniAppHandler::cors_headers(const std::string& origin) const {
    if (origin.empty() || !origin_allowed(origin)) {
        return {};
    }
    return {{"Access-Control-Allow-Origin", origin}, {"Vary", "Origin"}};
}

HttpReply MiniAppHandler::preflight(const HttpRequestView& request) const {
    const std::string origin = request.header("Origin");
    if (m_endpoints.identity == nullptr || origin.empty() || !origin_allowed(origin)) {
        m_ingress.metrics.request_rejected(k_source, "cors_origin");
        return json_error(403, "origin_not_allowed", "This origin may not call the Mini App endpoints.");
    }
    const std::string method = request.header("Access-Control-Request-Method");
    if (!method.empty() && method != "POST") {
        return json_error(403, "method_not_allowed", "The Mini App endpoints take POST only.");
    }
    HttpReply reply{204, "", "text/plain", cors_headers(origin)};
    reply.headers.emplace_back("Access-Control-Allow-Methods", "POST");
    reply.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type, X-Zalo-Access-Token");
    reply.headers.emplace_back("Access-Control-Max-Age", "600");
    return reply;
}

HttpReply MiniAppHandler::as_shopper(
    const HttpRequestView& request,
    const std::function<HttpReply(const bot::CustomerRef& shopper, const std::string& token)>& handle) const {
    if (m_endpoints.identity == nullptr) {
        return json_error(404, "not_found", "No Zalo Mini App is configured (the \"miniapp\" block).");
    }
    const std::string origin = request.header("Origin");
    if (!origin.empty() && !origin_allowed(origin)) {
        m_ingress.metrics.request_rejected(k_source, "cors_origin");
        return json_error(403, "origin_not_allowed", "This origin may not call the Mini App endpoints.");
    }
    const auto headers = cors_headers(origin);
    const std::string token = request.header(k_token_header);
    if (token.empty()) {
        m_ingress.metrics.request_rejected(k_source, "no_token");
        return with_headers(
            json_error(401, "unauthorized", "The shopper's Zalo access token is required: X-Zalo-Access-Token."),
            headers);
    }
    const std::int64_t now = m_ingress.clock();
    auto verified = m_endpoints.identity->verify(token, now);
    if (auto* error = std::get_if<bot::GraphError>(&verified)) {
        if (error->failure == bot::GraphFailure::unavailable) {
            return with_headers(json_error(503, "zalo_unavailable", "Zalo could not check the token now; try again."),
                                headers);
        }
        m_ingress.metrics.request_rejected(k_source, "bad_token");
        return with_headers(json_error(401, "unauthorized", "Zalo refused the access token: " + error->detail),
                            headers);
    }
    const auto& shopper = std::get<bot::MiniAppShopper>(verified);
    const common::RateDecision decision = m_endpoints.limit->take(shopper.app_user_id, now);
    if (!decision.allowed) {
        m_ingress.metrics.request_rejected(k_source, "rate_limited");
        HttpReply reply =
            with_headers(json_error(429, "rate_limited", "Too many requests from this shopper; slow down."), headers);
        reply.headers.emplace_back("Retry-After", std::to_string(decision.retry_after_seconds));
        return reply;
    }
    bot::CustomerRef customer;
    customer.zalo_app_user_id = shopper.app_user_id;
    customer.name = shopper.name;
    return with_headers(handle(customer, token), headers);
}

HttpReply MiniAppHandler::events(const HttpRequestView& request) const {
    return as_shopper(request, [&](const bot::CustomerRef& shopper, const std::string&) {
        return await_reply([&](ReplySink reply) {
            accept_events(
                m_ingress, k_source, request.body,
                [&](const json& body) { return parse_miniapp_events_request(body, shopper, m_ingress.clock()); },
                std::move(reply));
        });
    });
}

HttpReply MiniAppHandler::phone(const HttpRequestView& request) const {
    return as_shopper(request, [&](const bot::CustomerRef& shopper, const std::string& token) -> HttpReply {
        const json body = json::parse(request.body, nullptr, false);
        if (!body.is_object() || !body.contains("code") || !body["code"].is_string() ||
            body["code"].get_ref<const std::string&>().empty()) {
            return json_error(400, "invalid_field", "code is required: the token of the SDK's getPhoneNumber().",
                              "/code");
        }
        // The code is single-use and short-lived: one exchange, never retried here.
        auto exchanged = m_endpoints.identity->exchange_phone_code(token, body["code"].get<std::string>());
        if (auto* error = std::get_if<bot::GraphError>(&exchanged)) {
            if (error->failure == bot::GraphFailure::unavailable) {
                return json_error(503, "zalo_unavailable",
                                  "Zalo could not exchange the code now; ask the shopper to share the phone again.");
            }
            return json_error(400, "phone_code_refused",
                              "Zalo refused the code (it is single-use and lasts 2 minutes): " + error->detail,
                              "/code");
        }
        const std::string& phone = std::get<std::string>(exchanged);
        const std::int64_t now = m_ingress.clock();
        bot::InboundEvent event;
        event.source = bot::EventSource::miniapp;
        event.name = event.kind = "phone_shared";
        event.interaction = true;
        event.customer = shopper;
        event.customer.phone = phone;
        event.occurred_at_ms = now;
        event.content = {{"consented_at", now}};
        event.dedupe_key = "miniapp:" + shopper.zalo_app_user_id + ":phone:" + phone;
        const json raw = {{"phone_shared", shopper.zalo_app_user_id}};
        if (!submit_to_inbox(m_ingress, {ParsedEvent{event, raw.dump()}}, now)) {
            return json_error(503, "storage_unavailable", "The phone could not be stored. Ask again.");
        }
        // Stored durably; the worker files it under the customer (merging with one already
        // known by that phone). The answer names that customer once it has.
        const auto deadline = std::chrono::steady_clock::now() + k_phone_wait;
        json customer_id = nullptr;
        while (std::chrono::steady_clock::now() < deadline) {
            auto lease = m_reads.lease();
            const auto outcome = store::InboxStore(lease.db()).outcome_of(event.dedupe_key);
            if (outcome && outcome->processed && outcome->customer_id) {
                customer_id = std::to_string(*outcome->customer_id);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return HttpReply{200, json{{"customer_id", customer_id}, {"phone", phone}}.dump(), "application/json", {}};
    });
}

} // namespace pheu::handlers
