#include "tests/support/fake_platforms.h"

#include "common/crypto.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace pheu::testing {

using nlohmann::json;

namespace {

std::map<std::string, std::string> form_fields(const std::string& body) {
    std::map<std::string, std::string> fields;
    httplib::Params params;
    httplib::detail::parse_query_text(body, params);
    for (const auto& [key, value] : params) {
        fields[key] = value;
    }
    return fields;
}

} // namespace

std::string RecordedRequest::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        const bool same =
            key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            });
        if (same) {
            return value;
        }
    }
    return {};
}

json RecordedRequest::json_body() const {
    return json::parse(body, nullptr, false);
}

FakePlatforms::FakePlatforms() {
    m_server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    auto handler = [this](const httplib::Request& request, httplib::Response& response) { handle(request, response); };
    m_server.Get(".*", handler);
    m_server.Post(".*", handler);
    m_port = m_server.bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    while (!m_server.is_running()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

FakePlatforms::~FakePlatforms() {
    release();
    m_server.stop();
    m_thread.join();
}

std::string FakePlatforms::base_url() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

void FakePlatforms::set_zalo_tokens(const std::string& access_token, const std::string& refresh_token) {
    std::lock_guard lock(m_mutex);
    m_access_token = access_token;
    m_refresh_token = refresh_token;
}

std::string FakePlatforms::zalo_access_token() const {
    std::lock_guard lock(m_mutex);
    return m_access_token;
}

std::string FakePlatforms::zalo_refresh_token() const {
    std::lock_guard lock(m_mutex);
    return m_refresh_token;
}

void FakePlatforms::set_page_token(const std::string& token) {
    std::lock_guard lock(m_mutex);
    m_page_token = token;
}

void FakePlatforms::grant_zalo_code(const std::string& code, const std::string& code_challenge) {
    std::lock_guard lock(m_mutex);
    m_zalo_codes[code] = code_challenge;
}

int FakePlatforms::refresh_count() const {
    std::lock_guard lock(m_mutex);
    return m_refreshes;
}

void FakePlatforms::add_miniapp_shopper(const std::string& access_token, const std::string& app_user_id,
                                        const std::string& name) {
    std::lock_guard lock(m_mutex);
    m_shoppers[access_token] = {app_user_id, name};
}

void FakePlatforms::add_phone_code(const std::string& code, const std::string& number) {
    std::lock_guard lock(m_mutex);
    m_phone_codes[code] = number;
}

void FakePlatforms::script(const std::string& path, const ScriptedAnswer& answer, int times) {
    std::lock_guard lock(m_mutex);
    for (int i = 0; i < times; ++i) {
        m_scripts[path].push_back(answer);
    }
}

void FakePlatforms::hold() {
    std::lock_guard lock(m_mutex);
    m_holding = true;
}

void FakePlatforms::release() {
    {
        std::lock_guard lock(m_mutex);
        m_holding = false;
    }
    m_released.notify_all();
}

int FakePlatforms::waiting() const {
    std::lock_guard lock(m_mutex);
    return m_waiting;
}

std::vector<RecordedRequest> FakePlatforms::requests(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    std::vector<RecordedRequest> found;
    for (const auto& request : m_requests) {
        if (path.empty() || request.path == path) {
            found.push_back(request);
        }
    }
    return found;
}

std::vector<RecordedRequest> FakePlatforms::accepted(const std::string& path) const {
    std::vector<RecordedRequest> found;
    for (auto& request : requests(path)) {
        if (request.accepted) {
            found.push_back(std::move(request));
        }
    }
    return found;
}

namespace {

// What the Graph API answers a page token it does not accept (HTTP 400).
json invalid_page_token() {
    return {{"error",
             {{"message", "Invalid OAuth access token."},
              {"type", "OAuthException"},
              {"code", 190},
              {"fbtrace_id", "trace"}}}};
}

} // namespace

json FakePlatforms::normal_answer(const std::string& path, const httplib::Request& request, int& status,
                                  bool& accepted) {
    // m_mutex held.
    status = 200;
    if (path == "/v4/oa/access_token") {
        const auto form = form_fields(request.body);
        auto field = [&](const char* name) {
            auto found = form.find(name);
            return found == form.end() ? std::string() : found->second;
        };
        if (field("grant_type") == "authorization_code") {
            // OAuth v4 with PKCE: a code issued by the permission page, once, with its verifier.
            auto issued = m_zalo_codes.find(field("code"));
            if (request.get_header_value("secret_key") != k_app_secret || issued == m_zalo_codes.end() ||
                common::pkce_s256_challenge(field("code_verifier")) != issued->second) {
                return {{"error", -14019},
                        {"error_name", "Invalid authorization code"},
                        {"error_description", "the code is invalid, expired, used, or its code_verifier is wrong"}};
            }
            m_zalo_codes.erase(issued);
            ++m_refreshes;
            m_access_token = "zalo-access-" + std::to_string(m_refreshes);
            m_refresh_token = "zalo-refresh-" + std::to_string(m_refreshes);
            accepted = true;
            return {{"access_token", m_access_token}, {"refresh_token", m_refresh_token}, {"expires_in", "90000"}};
        }
        if (request.get_header_value("secret_key") != k_app_secret || field("grant_type") != "refresh_token" ||
            field("refresh_token") != m_refresh_token || m_refresh_token.empty()) {
            return {{"error", -14014},
                    {"error_name", "Invalid refresh token"},
                    {"error_description", "refresh token is invalid or has been used"}};
        }
        ++m_refreshes;
        m_access_token = "zalo-access-" + std::to_string(m_refreshes);
        m_refresh_token = "zalo-refresh-" + std::to_string(m_refreshes);
        accepted = true;
        return {{"access_token", m_access_token}, {"refresh_token", m_refresh_token}, {"expires_in", "90000"}};
    }
    if (path == "/v2.0/me" || path == "/v2.0/me/info") {
        // Zalo's Graph API: a token it issued, and (since 2024) the app's proof of it.
        const std::string token = request.get_header_value("access_token");
        auto shopper = m_shoppers.find(token);
        if (shopper == m_shoppers.end()) {
            return {{"error", -501}, {"message", "Access token is invalid or expired"}};
        }
        if (path == "/v2.0/me") {
            if (request.get_header_value("appsecret_proof") != common::hmac_sha256_hex(k_miniapp_secret, token)) {
                return {{"error", -242}, {"message", "Invalid appsecret_proof"}};
            }
            accepted = true;
            return {{"id", shopper->second.first},
                    {"name", shopper->second.second},
                    {"picture", {{"data", {{"url", "https://s120.avatar.talk.zdn.vn/" + shopper->second.first}}}}},
                    {"error", 0},
                    {"message", "Success"}};
        }
        auto code = m_phone_codes.find(request.get_header_value("code"));
        if (request.get_header_value("secret_key") != k_miniapp_secret || code == m_phone_codes.end()) {
            return {{"error", -1401}, {"message", "Invalid code"}};
        }
        const std::string number = code->second;
        m_phone_codes.erase(code); // single use
        accepted = true;
        return {{"data", {{"number", number}}}, {"error", 0}, {"message", "Success"}};
    }
    if (path == "/v21.0/me") {
        // Whose token this is: page-1's (with the proof of page-1's app secret), or another page's.
        const std::string token = request.get_param_value("access_token");
        const bool proven =
            request.get_param_value("appsecret_proof") == common::hmac_sha256_hex("page-secret-1", token);
        if (token == k_other_page_token && proven) {
            accepted = true;
            return {{"id", "page-9"}, {"name", "Shop Khác"}};
        }
        if (token != m_page_token || !proven) {
            status = 400;
            return invalid_page_token();
        }
        accepted = true;
        return {{"id", "page-1"}, {"name", "Shop Hoa"}};
    }
    if (path.rfind("/v21.0/", 0) == 0) {
        if (request.get_param_value("access_token") != m_page_token) {
            status = 400;
            return invalid_page_token();
        }
        accepted = true;
        const json body = json::parse(request.body, nullptr, false);
        return {{"recipient_id", body.is_object() ? body["recipient"].value("id", "") : ""},
                {"message_id", "m_" + std::to_string(++m_next_id)}};
    }
    if (request.get_header_value("access_token") != m_access_token) {
        return {{"error", -216}, {"message", "Access token is invalid"}};
    }
    accepted = true;
    if (path == "/v3.0/oa/user/detail") {
        const json data = json::parse(request.get_param_value("data"), nullptr, false);
        return {{"error", 0},
                {"message", "Success"},
                {"data",
                 {{"user_id", data.is_object() ? data.value("user_id", "") : ""},
                  {"display_name", "Lan Nguyễn"},
                  {"avatar", "https://s120.avatar.talk.zdn.vn/lan.jpg"},
                  {"avatars",
                   {{"120", "https://s120.avatar.talk.zdn.vn/lan.jpg"},
                    {"240", "https://s240.avatar.talk.zdn.vn/lan.jpg"}}}}}};
    }
    if (path == "/v2.0/oa/tag/tagfollower" || path == "/v2.0/oa/tag/rmfollowerfromtag") {
        return {{"error", 0}, {"message", "Success"}};
    }
    if (path == "/v3.0/oa/message/cs") {
        const json body = json::parse(request.body, nullptr, false);
        const std::string user = body.is_object() && body.contains("recipient") && body["recipient"].is_object()
                                     ? body["recipient"].value("user_id", "")
                                     : "";
        if (m_outside_zalo_window.contains(user)) {
            accepted = false;
            return {{"error", -230}, {"message", "User has not interacted with the OA in the last 7 days"}};
        }
    }
    if (path == "/message/template") {
        return {{"error", 0},
                {"message", "Success"},
                {"data", {{"msg_id", "zns-" + std::to_string(++m_next_id)}, {"sent_time", "1700000000000"}}}};
    }
    return {{"error", 0},
            {"message", "Success"},
            {"data",
             {{"message_id", "zmsg-" + std::to_string(++m_next_id)},
              {"user_id", "?"},
              {"quota", {{"quota_type", "reply"}, {"remain", "8"}, {"total", "8"}}}}}};
}

void FakePlatforms::set_outside_zalo_window(const std::string& user_id) {
    std::lock_guard lock(m_mutex);
    m_outside_zalo_window.insert(user_id);
}

void FakePlatforms::handle(const httplib::Request& request, httplib::Response& response) {
    std::unique_lock lock(m_mutex);
    RecordedRequest recorded;
    recorded.arrived = std::chrono::steady_clock::now();
    recorded.method = request.method;
    recorded.path = request.path;
    for (const auto& [key, value] : request.params) {
        recorded.query[key] = value;
    }
    for (const auto& [key, value] : request.headers) {
        recorded.headers[key] = value;
    }
    recorded.body = request.body;
    ++m_waiting;
    m_released.wait(lock, [&] { return !m_holding; });
    --m_waiting;

    ScriptedAnswer scripted;
    bool has_script = false;
    if (auto found = m_scripts.find(request.path); found != m_scripts.end() && !found->second.empty()) {
        scripted = found->second.front();
        found->second.pop_front();
        has_script = true;
    }
    int status = 200;
    json body;
    if (has_script && !scripted.body.is_null()) {
        status = scripted.status;
        body = scripted.body;
    } else {
        body = normal_answer(request.path, request, status, recorded.accepted);
    }
    m_requests.push_back(recorded);
    if (has_script && scripted.delay_ms > 0) {
        lock.unlock();
        std::this_thread::sleep_for(std::chrono::milliseconds(scripted.delay_ms));
        lock.lock();
    }
    response.status = status;
    for (const auto& [name, value] : scripted.headers) {
        response.set_header(name, value);
    }
    response.set_content(body.dump(), "application/json");
}

std::function<void(bot::Config&)> live_on(const FakePlatforms& fake, const std::function<void(bot::Config&)>& more) {
    return [&fake, more](bot::Config& config) {
        config.transport = bot::Transport::live;
        config.zalo_api_base = fake.base_url();
        config.zalo_oauth_base = fake.base_url();
        config.zalo_zns_base = fake.base_url();
        config.messenger_graph_base = fake.base_url();
        config.zalo_accounts.resize(1);
        config.zalo_accounts[0].app_secret = FakePlatforms::k_app_secret;
        config.zalo_accounts[0].access_token = fake.zalo_access_token();
        config.zalo_accounts[0].refresh_token = fake.zalo_refresh_token();
        config.messenger_pages[0].page_access_token = FakePlatforms::k_page_token;
        config.delivery.interval_ms = 50;
        config.delivery.retry_base_ms = 20;
        config.delivery.retry_max_ms = 200;
        config.delivery.request_timeout_ms = 400;
        config.delivery.zalo_per_second = 1000;
        config.delivery.messenger_per_second = 1000;
        if (more) {
            more(config);
        }
    };
}

} // namespace pheu::testing
