#pragma once
// A shop driving the real server over HTTP in integration tests: signed Zalo webhooks,
// events API batches, admin reads, all on a clock the test can move.
#include "tests/support/test_server.h"

#include <nlohmann/json.hpp>

#include <set>
#include <vector>

#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>
#include <string>
#include <vector>

namespace pheu::testing {

inline constexpr std::int64_t k_day = 24LL * 3600 * 1000;

// Waits up to 5 s for background work (the scheduler runs every 50 ms in tests, the
// dispatcher whenever work is committed) to make `condition` true.
template <typename Condition> bool eventually(Condition condition) {
    for (int i = 0; i < 200; ++i) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return condition();
}

std::string days_ago(const ShiftedClock& clock, double days);

class Shop {
public:
    explicit Shop(const std::function<void(bot::Config&)>& customise = {});

    // Posts a batch to the events API (expects 202) and waits until it is processed.
    nlohmann::json send_events(const std::vector<nlohmann::json>& events);
    // A purchase event `days` ago naming `customer`, one item AO-1 unless `items` are given.
    nlohmann::json purchase(const std::string& id, nlohmann::json customer, double days, std::int64_t total = 250000,
                            nlohmann::json items = nullptr) const;
    // Posts a correctly signed Zalo webhook (account app-1) and waits until it is processed.
    void send_zalo(const nlohmann::json& body);
    // Posts a correctly signed Messenger webhook (page page-1) and waits until it is processed.
    void send_messenger(const nlohmann::json& body);
    nlohmann::json admin_get(const std::string& path, int expected_status = 200);
    // Sends an admin request with a JSON body and returns the status and parsed reply.
    std::pair<int, nlohmann::json> admin_send(const std::string& method, const std::string& path,
                                              const nlohmann::json& body);
    // The one customer a lookup query finds.
    nlohmann::json customer_by(const std::string& query);
    nlohmann::json messages_of(const std::string& customer_id);

    ShiftedClock clock;
    TestServer server;
};

// Moves the clock forward to the next `hour`:00 in Asia/Ho_Chi_Minh (UTC+7 all year), so
// tests about quiet hours do not depend on when they run.
void advance_to_local_hour(ShiftedClock& clock, int hour);

nlohmann::json follow_body(const std::string& user, std::int64_t at_ms);

// Maps the win-back to a Zalo template (id 401, the code as its parameter), as a shop must
// for it to reach dormant customers, who are outside Zalo's 7-day window.
void map_winback_zalo_template(Shop& shop);

// Voucher codes in a text, as the contract describes them: upper-case letters and digits,
// both present, at least 6 characters, '-' allowed.
std::set<std::string> codes_in(const std::string& text);
// The items (messages, report rows) with this trigger, in their order.
std::vector<nlohmann::json> with_trigger(const nlohmann::json& messages, const std::string& trigger);
// Posts `body` to /webhooks/zalo on `client`, signed for account app-1 with the body's own
// timestamp, and returns the answer without waiting for processing.
httplib::Result post_signed_zalo(httplib::Client& client, const nlohmann::json& body);
// A user_send_text webhook from `user` to OA oa-1.
nlohmann::json zalo_text_body(const std::string& user, const std::string& text, const std::string& msg_id,
                              std::int64_t at_ms);

// A Messenger webhook carrying one text message from `psid` to page-1.
nlohmann::json messenger_text_body(const std::string& psid, const std::string& text, const std::string& mid,
                                   std::int64_t at_ms);

} // namespace pheu::testing
