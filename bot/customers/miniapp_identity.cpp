#include "bot/customers/miniapp_identity.h"

#include "common/crypto.h"
#include "common/phone.h"

#include <nlohmann/json.hpp>

namespace pheu::bot {

using nlohmann::json;

namespace {

// Graph answers errors as {"error": <non-zero>, "message": …}, with HTTP 200 or 4xx.
std::optional<GraphError> graph_error_of(const channels::HttpAnswer& answer, const json& body) {
    if (answer.failure != channels::TransportFailure::none) {
        return GraphError{GraphFailure::unavailable, answer.error};
    }
    if (answer.status >= 500 || answer.status == 429) {
        return GraphError{GraphFailure::unavailable, "HTTP " + std::to_string(answer.status)};
    }
    if (!body.is_object()) {
        return GraphError{GraphFailure::unavailable, "an answer that is not JSON"};
    }
    const json code = body.value("error", json(0));
    const bool failed = (code.is_number_integer() && code.get<long long>() != 0) ||
                        (code.is_object() && !code.empty()) || answer.status >= 400;
    if (failed) {
        std::string detail = body.value("message", std::string());
        if (code.is_object()) {
            detail = code.value("message", detail);
        }
        return GraphError{GraphFailure::refused, detail.empty() ? "HTTP " + std::to_string(answer.status) : detail};
    }
    return std::nullopt;
}

std::string text_of(const json& object, const char* key) {
    auto found = object.find(key);
    if (found == object.end()) {
        return {};
    }
    return found->is_string() ? found->get<std::string>() : found->is_number() ? found->dump() : std::string();
}

} // namespace

MiniAppIdentity::MiniAppIdentity(MiniAppIdentitySettings settings, channels::HttpTransport& transport)
    : m_settings(std::move(settings)), m_transport(transport) {}

std::int64_t MiniAppIdentity::graph_calls() const {
    std::lock_guard lock(m_mutex);
    return m_graph_calls;
}

std::variant<MiniAppShopper, GraphError> MiniAppIdentity::verify(const std::string& access_token, std::int64_t now_ms) {
    const std::string key = common::sha256_hex({access_token});
    {
        std::lock_guard lock(m_mutex);
        if (auto found = m_cache.find(key); found != m_cache.end()) {
            if (found->second.expires_at > now_ms) {
                return found->second.shopper;
            }
            m_oldest_first.erase(found->second.age);
            m_cache.erase(found);
        }
        ++m_graph_calls;
    }
    channels::HttpCall call;
    call.method = "GET";
    call.url = m_settings.graph_base + "/v2.0/me?fields=id,name,picture";
    call.headers = {{"access_token", access_token},
                    {"appsecret_proof", common::hmac_sha256_hex(m_settings.app_secret, access_token)}};
    const channels::HttpAnswer answer = m_transport.send(call);
    const json body = json::parse(answer.body, nullptr, false);
    if (auto error = graph_error_of(answer, body)) {
        return *error;
    }
    MiniAppShopper shopper;
    shopper.app_user_id = text_of(body, "id");
    if (shopper.app_user_id.empty()) {
        return GraphError{GraphFailure::refused, "Zalo named no user for this token"};
    }
    shopper.name = text_of(body, "name");
    if (auto picture = body.find("picture"); picture != body.end() && picture->is_object()) {
        shopper.avatar_url = text_of(picture->value("data", json::object()), "url");
    }
    std::lock_guard lock(m_mutex);
    if (m_cache.size() >= m_settings.cache_entries && !m_oldest_first.empty()) {
        m_cache.erase(m_oldest_first.front());
        m_oldest_first.pop_front();
    }
    if (m_cache.count(key) == 0) {
        m_oldest_first.push_back(key);
        m_cache[key] = Cached{shopper, now_ms + m_settings.cache_ms, std::prev(m_oldest_first.end())};
    }
    return shopper;
}

std::variant<std::string, GraphError> MiniAppIdentity::exchange_phone_code(const std::string& access_token,
                                                                           const std::string& code) {
    channels::HttpCall call;
    call.method = "GET";
    call.url = m_settings.graph_base + "/v2.0/me/info";
    call.headers = {{"access_token", access_token}, {"code", code}, {"secret_key", m_settings.app_secret}};
    const channels::HttpAnswer answer = m_transport.send(call);
    const json body = json::parse(answer.body, nullptr, false);
    if (auto error = graph_error_of(answer, body)) {
        return *error;
    }
    const json data = body.value("data", json::object());
    const std::string number = data.is_object() ? text_of(data, "number") : std::string();
    if (auto phone = common::normalise_phone(number)) {
        return *phone;
    }
    return GraphError{GraphFailure::refused, "Zalo answered without a phone number"};
}

} // namespace pheu::bot
