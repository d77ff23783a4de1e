// The platform-fault run of issue 9's battery (long: hidden from CTest, run by
// bench/battery/run_platform_faults.sh). 5,000 first messages, 4,000 to Zalo followers and
// 1,000 to Messenger users, while the fake platforms answer 10% each of their calls with a
// rate limit (429 / Zalo -32 / Meta 4 and 613), a 5xx, a window or permanent refusal, and
// a timeout after the request arrived (the fake acts, pheu hears nothing).
#include "tests/support/fake_platforms.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <random>
#include <algorithm>
#include <set>
#include <cstdio>
#include <thread>

using namespace pheu::testing;
using nlohmann::json;

namespace {

constexpr const char* k_cs = "/v3.0/oa/message/cs";
constexpr int k_zalo_users = 4000;
constexpr int k_messenger_users = 1000;

enum class Fault { none, rate_limit, server_error, window, permanent, timeout };

// The answers of the first `count` calls to a path, in arrival order, drawn at random.
std::vector<Fault> draw_faults(std::mt19937& random, int count) {
    std::vector<Fault> faults;
    for (int i = 0; i < count; ++i) {
        const auto roll = random() % 100;
        faults.push_back(roll < 10   ? Fault::rate_limit
                         : roll < 20 ? Fault::server_error
                         : roll < 25 ? Fault::window
                         : roll < 30 ? Fault::permanent
                         : roll < 40 ? Fault::timeout
                                     : Fault::none);
    }
    return faults;
}

ScriptedAnswer zalo_answer(Fault fault, int i) {
    switch (fault) {
    case Fault::rate_limit:
        return i % 2 == 0 ? ScriptedAnswer{200, {{"error", -32}, {"message", "reached the rate limit"}}, 0, {}}
                          : ScriptedAnswer{429, {{"error", 429}, {"message", "Too many requests"}}, 0, {}};
    case Fault::server_error:
        return {503, {{"error", -1}, {"message", "system error"}}, 0, {}};
    case Fault::window:
        return {200, {{"error", -230}, {"message", "User has not interacted in 7 days"}}, 0, {}};
    case Fault::permanent:
        return {200, {{"error", -201}, {"message", "Parameters are invalid"}}, 0, {}};
    case Fault::timeout:
        return {200, nullptr, 1500, {}}; // acted on, answered after pheu gave up
    case Fault::none:
        break;
    }
    return {200, nullptr, 0, {}};
}

ScriptedAnswer messenger_answer(Fault fault, int i) {
    const auto error = [](int code, const char* message) {
        return json{{"error", {{"message", message}, {"type", "OAuthException"}, {"code", code}}}};
    };
    switch (fault) {
    case Fault::rate_limit:
        return i % 2 == 0 ? ScriptedAnswer{400, error(4, "Application request limit reached"), 0, {}}
                          : ScriptedAnswer{400, error(613, "Calls to this api have exceeded the rate limit."), 0, {}};
    case Fault::server_error:
        return {500, error(2, "Service temporarily unavailable"), 0, {}};
    case Fault::window:
        return {400, error(10, "Outside of allowed window"), 0, {}};
    case Fault::permanent:
        return {400, error(551, "This person isn't available right now."), 0, {}};
    case Fault::timeout:
        return {200, nullptr, 1500, {}};
    case Fault::none:
        break;
    }
    return {200, nullptr, 0, {}};
}

std::string recipient_of(const json& body) {
    if (body.contains("recipient") && body["recipient"].contains("user_id")) {
        return body["recipient"]["user_id"].get<std::string>();
    }
    return body.value("/recipient/id"_json_pointer, std::string());
}

// What the fake saw on one path, in arrival order: each call's recipient and message, and
// whether the fake acted on it.
struct Call {
    std::string recipient;
    std::string message; // recipient and text: two different messages to one person differ
    bool accepted = false;
    std::chrono::steady_clock::time_point arrived;
};

std::vector<Call> calls_to(const FakePlatforms& fake, const std::string& path) {
    std::vector<Call> calls;
    for (const auto& request : fake.requests(path)) {
        const json body = request.json_body();
        calls.push_back({recipient_of(body), recipient_of(body) + "\t" + body.value("message", json()).dump(),
                         request.accepted, request.arrived});
    }
    return calls;
}

} // namespace

TEST_CASE("5000 sends through platform faults: each delivered at most once, unknown outcomes never resent",
          "[.][battery][faults]") {
    FakePlatforms fake;
    std::mt19937 random(2026);
    const std::vector<Fault> zalo_faults = draw_faults(random, k_zalo_users);
    const std::vector<Fault> messenger_faults = draw_faults(random, k_messenger_users);
    for (std::size_t i = 0; i < zalo_faults.size(); ++i) {
        fake.script(k_cs, zalo_answer(zalo_faults[i], static_cast<int>(i)));
    }
    for (std::size_t i = 0; i < messenger_faults.size(); ++i) {
        fake.script("/v21.0/me/messages", messenger_answer(messenger_faults[i], static_cast<int>(i)));
    }
    Shop shop(live_on(fake, [](pheu::bot::Config& config) {
        config.delivery.concurrency = 16;
        config.delivery.request_timeout_ms = 500;
        config.delivery.retry_base_ms = 50;
        config.delivery.retry_max_ms = 1000;
        config.delivery.max_attempts = 8;
        config.delivery.in_doubt_grace_seconds = 3;
    }));
    const std::string database = shop.server.database();
    auto client = shop.server.client();
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    const std::int64_t now = shop.clock.now();
    for (int i = 0; i < k_zalo_users; ++i) {
        auto result = post_signed_zalo(client, follow_body("fault-zalo-" + std::to_string(i), now));
        REQUIRE(result);
        REQUIRE(result->status == 200);
    }
    for (int i = 0; i < k_messenger_users; ++i) {
        const std::string text =
            messenger_text_body("fault-psid-" + std::to_string(i), "Chào shop", "fault-mid-" + std::to_string(i), now)
                .dump();
        auto result = client.Post("/webhooks/messenger",
                                  {{"X-Hub-Signature-256", messenger_signature_for(text, "page-secret-1")}}, text,
                                  "application/json");
        REQUIRE(result);
        REQUIRE(result->status == 200);
    }
    REQUIRE(shop.server.wait_until_processed());
    const auto settled = [&] {
        return query_int(database,
                         "SELECT count(*) FROM outbox WHERE kind = 'message' AND status IN ('queued', 'sending')") == 0;
    };
    for (int i = 0; i < 240 && !settled(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    REQUIRE(settled());

    // What the platforms acted on, per message: never twice.
    const std::vector<Call> zalo_calls = calls_to(fake, k_cs);
    const std::vector<Call> messenger_calls = calls_to(fake, "/v21.0/me/messages");
    std::map<std::string, int> acted_on;
    std::int64_t acted = 0;
    for (const auto* calls : {&zalo_calls, &messenger_calls}) {
        for (const Call& call : *calls) {
            if (call.accepted) {
                ++acted_on[call.message];
                ++acted;
            }
        }
    }
    int twice = 0;
    for (const auto& [message, count] : acted_on) {
        twice += count > 1;
    }
    CHECK(twice == 0);

    // The scripted answers are consumed in arrival order, so call i met faults[i]. After a
    // refusal or a timeout (the outcome unknown) the message must never be called again.
    int retried_refusals = 0;
    int resent_unknowns = 0;
    int refusals = 0;
    int unknowns = 0;
    // How long after a rate limit or a 5xx its message came again. Here the delays also hold
    // the queueing of 16 senders, so their spread is reported, not asserted: the spread the
    // jitter makes is asserted on its own in tests/integration/delivery_test.cpp.
    std::vector<double> first_retry_ms;
    const auto check_calls = [&](const std::vector<Call>& calls, const std::vector<Fault>& faults) {
        std::map<std::string, std::size_t> last_call;
        std::map<std::string, std::size_t> first_call;
        std::map<std::string, int> calls_so_far;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            last_call[calls[i].message] = i;
        }
        for (std::size_t i = 0; i < calls.size(); ++i) {
            const int earlier = calls_so_far[calls[i].message]++;
            if (earlier == 0) {
                first_call[calls[i].message] = i;
                continue;
            }
            const std::size_t first = first_call[calls[i].message];
            if (earlier == 1 && first < faults.size() &&
                (faults[first] == Fault::rate_limit || faults[first] == Fault::server_error)) {
                first_retry_ms.push_back(
                    std::chrono::duration<double, std::milli>(calls[i].arrived - calls[first].arrived).count());
            }
        }
        for (std::size_t i = 0; i < calls.size() && i < faults.size(); ++i) {
            const bool called_again = last_call[calls[i].message] > i;
            if (faults[i] == Fault::window || faults[i] == Fault::permanent) {
                ++refusals;
                retried_refusals += called_again;
            } else if (faults[i] == Fault::timeout) {
                ++unknowns;
                resent_unknowns += called_again;
            }
        }
    };
    check_calls(zalo_calls, zalo_faults);
    check_calls(messenger_calls, messenger_faults);
    CHECK(refusals > 0);
    CHECK(unknowns > 0);
    CHECK(retried_refusals == 0);
    CHECK(resent_unknowns == 0);
    REQUIRE(first_retry_ms.size() > 100);
    std::sort(first_retry_ms.begin(), first_retry_ms.end());
    const auto percentile = [&](double p) {
        return first_retry_ms[static_cast<std::size_t>(p * static_cast<double>(first_retry_ms.size() - 1))];
    };
    // The first retry waits the base delay (50 ms), half of it fixed and half drawn at random.
    CHECK(first_retry_ms.front() >= 25.0);
    std::printf("platform faults: %zu first retries after a rate limit or 5xx came %.0f / %.0f / %.0f / %.0f ms "
                "(min / p10 / p50 / p90) after it, max %.0f ms\n",
                first_retry_ms.size(), first_retry_ms.front(), percentile(0.1), percentile(0.5), percentile(0.9),
                first_retry_ms.back());

    // pheu's record agrees with the platforms': a row is sent only if the platform acted on
    // it, and an unknown outcome is shown as such (failed, outcome_unknown), never as sent.
    const std::int64_t sent_rows =
        query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'sent'");
    const std::int64_t unknown_rows = query_int(
        database,
        "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'failed' AND reason LIKE 'outcome_unknown%'");
    UNSCOPED_INFO("sent " << sent_rows << ", acted on by the fakes " << acted << ", unknown " << unknown_rows
                          << ", refusals " << refusals << ", timeouts " << unknowns);
    CHECK(sent_rows + unknown_rows == acted);
    CHECK(unknown_rows == unknowns);
    CHECK(query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message'") >=
          k_zalo_users + k_messenger_users);
    std::printf("platform faults: %d Zalo + %d Messenger first messages; sent %lld, unknown outcome %lld "
                "(timeouts %d, none resent), refused %d (none retried), sent twice %d\n",
                k_zalo_users, k_messenger_users, static_cast<long long>(sent_rows),
                static_cast<long long>(unknown_rows), unknowns, refusals, twice);
}
