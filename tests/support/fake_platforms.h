#pragma once
// Local stand-ins for the platforms pheu calls, on one cpp-httplib server on an ephemeral
// port: the Zalo OpenAPI (consultation and template messages, tags, user detail), Zalo's
// OAuth token endpoint, ZNS, and the Messenger Send API. They check tokens the way the
// platforms do (an expired Zalo token answers -216 with HTTP 200; a spent refresh token is
// refused), record every request (method, path, headers, body), and can be told to answer
// with a platform error, slowly, or not at all.
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "bot/config.h"

#include <condition_variable>
#include <functional>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <chrono>
#include <thread>
#include <vector>

namespace pheu::testing {

struct RecordedRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::map<std::string, std::string> headers; // names as sent
    std::string body;
    bool accepted = false;                         // the fake acted on it (sent, tagged, refreshed)
    std::chrono::steady_clock::time_point arrived; // when the fake received it

    std::string header(const std::string& name) const;
    nlohmann::json json_body() const;
};

// One scripted answer for the next request to a path, instead of the normal one.
struct ScriptedAnswer {
    int status = 200;
    nlohmann::json body; // null: answer normally (after the delay)
    int delay_ms = 0;    // before answering; longer than pheu's timeout is "no answer"
    std::map<std::string, std::string> headers;
};

class FakePlatforms {
public:
    // The credentials the fake accepts.
    static constexpr const char* k_app_secret = "app-secret-1";
    static constexpr const char* k_page_token = "page-token-1";
    static constexpr const char* k_other_page_token = "page-token-of-page-9";
    static constexpr const char* k_miniapp_secret = "miniapp-secret-1";

    FakePlatforms();
    ~FakePlatforms();
    FakePlatforms(const FakePlatforms&) = delete;
    FakePlatforms& operator=(const FakePlatforms&) = delete;

    std::string base_url() const;

    // The Zalo token pair the fake currently honours; a refresh rotates both and spends the
    // old refresh token.
    void set_zalo_tokens(const std::string& access_token, const std::string& refresh_token);
    std::string zalo_access_token() const;
    std::string zalo_refresh_token() const;
    int refresh_count() const;
    // An OA admin granted access on Zalo's permission page, opened with `code_challenge`:
    // Zalo issued `code`, single use, exchanged only with the verifier of that challenge.
    void grant_zalo_code(const std::string& code, const std::string& code_challenge);

    // The page access token Meta honours for page-1 from now on (the old one expired).
    void set_page_token(const std::string& token);

    // The Zalo Graph API of a Mini App: a shopper's access token, and single-use phone codes.
    void add_miniapp_shopper(const std::string& access_token, const std::string& app_user_id, const std::string& name);
    void add_phone_code(const std::string& code, const std::string& number);

    // A Zalo user who has not interacted with the OA for more than 7 days: a consultation
    // message to them is refused (-230), as Zalo does; templates still reach them.
    void set_outside_zalo_window(const std::string& user_id);

    // The next `times` requests to `path` get `answer`.
    void script(const std::string& path, const ScriptedAnswer& answer, int times = 1);
    // Requests wait (unanswered) until release(); waiting() says how many are held.
    void hold();
    void release();
    int waiting() const;

    std::vector<RecordedRequest> requests(const std::string& path = "") const;
    std::vector<RecordedRequest> accepted(const std::string& path = "") const;

private:
    void handle(const httplib::Request& request, httplib::Response& response);
    nlohmann::json normal_answer(const std::string& path, const httplib::Request& request, int& status, bool& accepted);

    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    mutable std::mutex m_mutex;
    std::condition_variable m_released;
    bool m_holding = false;
    int m_waiting = 0;
    std::string m_access_token = "zalo-access-0";
    std::string m_refresh_token = "zalo-refresh-0";
    int m_refreshes = 0;
    std::string m_page_token = k_page_token;
    std::map<std::string, std::string> m_zalo_codes; // code → PKCE challenge
    int m_next_id = 0;
    std::map<std::string, std::deque<ScriptedAnswer>> m_scripts;
    std::map<std::string, std::pair<std::string, std::string>> m_shoppers; // token → (id, name)
    std::map<std::string, std::string> m_phone_codes;
    std::set<std::string> m_outside_zalo_window;
    std::vector<RecordedRequest> m_requests;
};

// The test configuration with the live transport pointed at `fake`: its tokens, fast
// retries and no rate limit to wait for; `more` customises further.
std::function<void(bot::Config&)> live_on(const FakePlatforms& fake,
                                          const std::function<void(bot::Config&)>& more = {});

} // namespace pheu::testing
