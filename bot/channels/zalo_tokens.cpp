#include "bot/channels/zalo_tokens.h"

#include "common/crypto.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace pheu::bot::channels {

using nlohmann::json;

namespace {

constexpr const char* k_channel = "zalo";

// The answer is {"access_token","refresh_token","expires_in":"90000"}; one client reads
// the same under "data", so both are accepted.
const json* token_object(const json& body) {
    if (!body.is_object()) {
        return nullptr;
    }
    if (body.contains("access_token")) {
        return &body;
    }
    auto data = body.find("data");
    if (data != body.end() && data->is_object() && data->contains("access_token")) {
        return &*data;
    }
    return nullptr;
}

std::int64_t expires_in_ms(const json& token) {
    auto found = token.find("expires_in");
    long long seconds = 0;
    if (found != token.end() && found->is_number_integer()) {
        seconds = found->get<long long>();
    } else if (found != token.end() && found->is_string()) {
        seconds = std::strtoll(found->get<std::string>().c_str(), nullptr, 10);
    }
    return seconds > 0 ? seconds * 1000 : 0;
}

} // namespace

std::string zalo_permission_url(const std::string& oauth_base, const std::string& app_id,
                                const std::string& redirect_uri, const std::string& code_challenge,
                                const std::string& state) {
    return oauth_base + "/v4/oa/permission?app_id=" + url_encode(app_id) + "&redirect_uri=" + url_encode(redirect_uri) +
           "&code_challenge=" + url_encode(code_challenge) + "&state=" + url_encode(state);
}

ZaloTokens::ZaloTokens(ZaloTokenSettings settings, HttpTransport& transport, TokenVault& vault, ChannelHealth& health,
                       std::int64_t now_ms, RefreshObserver observer)
    : m_settings(std::move(settings)), m_transport(transport), m_vault(vault), m_health(health),
      m_observer(std::move(observer)) {
    m_health.track(ChannelHealth::key(k_channel, m_settings.oa_id));
    const std::string seeded_from = common::sha256_hex({m_settings.refresh_token});
    auto stored = m_vault.load(k_channel, m_settings.oa_id);
    if (stored && (m_settings.refresh_token.empty() || stored->seeded_from == seeded_from)) {
        m_token = std::move(*stored);
        return;
    }
    if (m_settings.refresh_token.empty()) {
        // Nothing to start from: the OA waits until it is connected from the console.
        m_token = store::StoredToken{"", "", std::nullopt, seeded_from};
        m_health.stop(ChannelHealth::key(k_channel, m_settings.oa_id),
                      "not connected yet: connect the OA from the console (Cài đặt, Kết nối nền tảng)", now_ms);
        return;
    }
    // First start, or the shop authorised again and put the new pair into the configuration.
    // A pair without an access token is refreshed at the first chance; one with it is used
    // until it fails or 20 hours have passed (its age is unknown).
    m_token =
        store::StoredToken{m_settings.access_token, m_settings.refresh_token,
                           m_settings.access_token.empty() ? now_ms : now_ms + k_zalo_refresh_after_ms, seeded_from};
    m_vault.save(k_channel, m_settings.oa_id, m_token, now_ms);
    spdlog::info("zalo: OA {} starts from the configured token pair", m_settings.oa_id);
}

std::string ZaloTokens::current() const {
    std::lock_guard lock(m_mutex);
    return m_token.access_token;
}

std::optional<std::string> ZaloTokens::refresh_after_failure(const std::string& used, std::int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    if (m_token.access_token != used && !m_token.access_token.empty()) {
        return m_token.access_token; // someone refreshed while this call was failing
    }
    if (refresh_locked(now_ms) != RefreshOutcome::refreshed) {
        return std::nullopt;
    }
    return m_token.access_token;
}

bool ZaloTokens::refresh_if_due(std::int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    if (!m_token.refresh_due_at || *m_token.refresh_due_at > now_ms) {
        return false;
    }
    return refresh_locked(now_ms) == RefreshOutcome::refreshed;
}

ZaloTokens::PairAnswer ZaloTokens::request_pair(const std::string& form) const {
    HttpCall call;
    call.url = m_settings.oauth_base + "/v4/oa/access_token";
    call.headers = {{"secret_key", m_settings.app_secret}};
    call.content_type = "application/x-www-form-urlencoded";
    call.body = form;
    const HttpAnswer answer = m_transport.send(call);
    const json body = json::parse(answer.body, nullptr, false);
    const json* token = answer.failure == TransportFailure::none ? token_object(body) : nullptr;
    if (token == nullptr) {
        // Zalo never answers a refused request with a 5xx: those, and no answer, are tried again.
        const bool transient = answer.failure != TransportFailure::none || answer.status >= 500 || answer.status == 429;
        const std::string detail =
            answer.failure != TransportFailure::none
                ? answer.error
                : "HTTP " + std::to_string(answer.status) + " " +
                      (body.is_object() ? body.value("error_name", body.value("message", std::string()))
                                        : std::string());
        return PairAnswer{.pair = std::nullopt,
                          .outcome = transient ? RefreshOutcome::transient_failure : RefreshOutcome::refused,
                          .detail = detail};
    }
    store::StoredToken pair;
    pair.access_token = token->value("access_token", std::string());
    // The old refresh token is spent now; a missing new one would strand the OA.
    pair.refresh_token = token->value("refresh_token", m_token.refresh_token);
    const std::int64_t lifetime = expires_in_ms(*token);
    pair.refresh_due_at = lifetime > 0 ? std::optional<std::int64_t>(lifetime * 4 / 5) : std::nullopt;
    pair.seeded_from = m_token.seeded_from;
    return PairAnswer{.pair = pair, .outcome = RefreshOutcome::refreshed, .detail = ""};
}

void ZaloTokens::adopt_locked(store::StoredToken pair, std::int64_t now_ms) {
    pair.refresh_due_at = due_moment(pair, now_ms);
    // Committed before use: if pheu dies now, the next start reads this pair, never the spent one.
    m_vault.save(k_channel, m_settings.oa_id, pair, now_ms);
    m_token = std::move(pair);
}

std::int64_t ZaloTokens::due_moment(const store::StoredToken& answered, std::int64_t now_ms) {
    // request_pair leaves the lifetime in refresh_due_at; it becomes a moment here.
    return now_ms + answered.refresh_due_at.value_or(k_zalo_refresh_after_ms);
}

RefreshOutcome ZaloTokens::refresh_locked(std::int64_t now_ms) {
    if (m_health.stopped(ChannelHealth::key(k_channel, m_settings.oa_id))) {
        // Zalo refused this pair (or there is none): it would refuse it again. Senders that
        // failed together behind the refusal asked anyway before, and a crash battery run saw
        // 31 refusals of one spent token from two instances.
        return RefreshOutcome::refused;
    }
    PairAnswer answer;
    std::optional<store::StoredToken> rotated_elsewhere;
    // Under the pair's lock across every pheu instance: one refresh per expiry, and none
    // with a refresh token another instance has already spent.
    const std::optional<store::StoredToken> saved = m_vault.rotate(
        k_channel, m_settings.oa_id,
        [&](const std::optional<store::StoredToken>& stored) -> std::optional<store::StoredToken> {
            if (stored && !stored->access_token.empty() && stored->refresh_token != m_token.refresh_token) {
                rotated_elsewhere = stored;
                return std::nullopt;
            }
            answer = request_pair("refresh_token=" + url_encode(m_token.refresh_token) +
                                  "&app_id=" + url_encode(m_settings.app_id) + "&grant_type=refresh_token");
            if (!answer.pair) {
                return std::nullopt;
            }
            answer.pair->refresh_due_at = due_moment(*answer.pair, now_ms);
            return answer.pair; // committed before use, as adopt_locked does
        },
        now_ms);
    if (rotated_elsewhere) {
        m_token = std::move(*rotated_elsewhere);
        spdlog::info("zalo: OA {}'s token was refreshed by another pheu instance; using the new one", m_settings.oa_id);
        return RefreshOutcome::refreshed;
    }
    if (saved) {
        m_token = *saved;
        spdlog::info("zalo: refreshed the access token of OA {}", m_settings.oa_id);
    } else if (answer.outcome == RefreshOutcome::refused) {
        m_health.stop(ChannelHealth::key(k_channel, m_settings.oa_id),
                      "Zalo refused the refresh token (" + answer.detail +
                          "): connect the OA again from the console (Cài đặt), or put a new token pair into the "
                          "configuration",
                      now_ms);
    } else {
        spdlog::warn("zalo: token refresh for OA {} failed and will be tried again: {}", m_settings.oa_id,
                     answer.detail);
    }
    if (m_observer) {
        m_observer(answer.outcome);
    }
    return answer.outcome;
}

bool ZaloTokens::adopt_pair_connected_elsewhere() {
    std::lock_guard lock(m_mutex);
    const std::string key = ChannelHealth::key(k_channel, m_settings.oa_id);
    if (!m_health.stopped(key)) {
        return false;
    }
    auto stored = m_vault.load(k_channel, m_settings.oa_id);
    // The pair this instance holds is the one refused (or none): another one stored from the
    // same configured pair is newer. One seeded from another configuration is not this one's.
    if (!stored || stored->access_token.empty() || stored->refresh_token == m_token.refresh_token ||
        stored->seeded_from != m_token.seeded_from) {
        return false;
    }
    m_token = std::move(*stored);
    m_health.resume(key);
    spdlog::info("zalo: OA {} was connected again on another pheu instance; using its token pair", m_settings.oa_id);
    return true;
}

std::optional<std::string> ZaloTokens::connect(const std::string& code, const std::string& code_verifier,
                                               std::int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    PairAnswer answer = request_pair("code=" + url_encode(code) + "&app_id=" + url_encode(m_settings.app_id) +
                                     "&grant_type=authorization_code&code_verifier=" + url_encode(code_verifier));
    if (!answer.pair) {
        spdlog::warn("zalo: Zalo did not exchange the authorisation code of OA {}: {}", m_settings.oa_id,
                     answer.detail);
        return answer.detail;
    }
    adopt_locked(std::move(*answer.pair), now_ms);
    m_health.resume(ChannelHealth::key(k_channel, m_settings.oa_id));
    spdlog::info("zalo: OA {} connected from the console", m_settings.oa_id);
    return std::nullopt;
}

} // namespace pheu::bot::channels
