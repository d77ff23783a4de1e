// Zalo's rotating token pair, against a scripted transport and an in-memory vault.
#include "bot/channels/zalo_tokens.h"
#include "store/migrations.h"
#include "store/write_gate.h"
#include "tests/support/scratch_database.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

using namespace pheu::bot::channels;
using pheu::store::StoredToken;

namespace {

constexpr std::int64_t k_start = 1'800'000'000'000;
constexpr std::int64_t k_hour = 3'600'000;

// Answers refreshes as Zalo does: a new pair for the current refresh token, a refusal for a
// spent one. Counts the calls and what was saved when each call happened.
class FakeOAuth final : public HttpTransport {
public:
    HttpAnswer send(const HttpCall& call) override {
        ++calls;
        last_body = call.body;
        last_secret = call.headers.count("secret_key") ? call.headers.at("secret_key") : "";
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // let concurrent failures pile up
        HttpAnswer answer;
        answer.status = 200;
        const bool good_code =
            call.body.find("code=" + valid_code + "&") == 0 &&
            call.body.find("grant_type=authorization_code&code_verifier=verifier-1") != std::string::npos;
        if (refuse || (!good_code && call.body.find("refresh_token=" + valid_refresh + "&") == std::string::npos)) {
            answer.body = R"({"error":-14014,"error_name":"Invalid refresh token"})";
            return answer;
        }
        const int n = ++issued;
        valid_refresh = "refresh-" + std::to_string(n);
        answer.body = R"({"access_token":"access-)" + std::to_string(n) + R"(","refresh_token":")" + valid_refresh +
                      R"(","expires_in":"90000"})";
        return answer;
    }
    std::atomic<int> calls{0};
    std::atomic<int> issued{0};
    std::string valid_refresh = "refresh-0";
    std::string valid_code = "code-1";
    std::string last_body;
    std::string last_secret;
    bool refuse = false;
};

class MemoryVault final : public TokenVault {
public:
    std::optional<StoredToken> load(const std::string& channel, const std::string& account_id) override {
        std::lock_guard lock(m_mutex);
        auto found = tokens.find(channel + ":" + account_id);
        return found == tokens.end() ? std::nullopt : std::optional<StoredToken>(found->second);
    }
    void save(const std::string& channel, const std::string& account_id, const StoredToken& token,
              std::int64_t) override {
        std::lock_guard lock(m_mutex);
        tokens[channel + ":" + account_id] = token;
        ++saves;
    }
    std::map<std::string, StoredToken> tokens;
    int saves = 0;

private:
    std::mutex m_mutex;
};

ZaloTokenSettings settings(const std::string& access = "access-0", const std::string& refresh = "refresh-0") {
    return ZaloTokenSettings{"http://oauth", "oa-1", "app-1", "app-secret", access, refresh};
}

// `senders` sends at once, each refused for the expired "access-0" by the tokens `tokens_of`
// gives it; how many were told to retry with "access-1".
int retried_with_new_token(int senders, const std::function<ZaloTokens&(int)>& tokens_of) {
    std::vector<std::thread> threads;
    std::atomic<int> retried{0};
    for (int i = 0; i < senders; ++i) {
        threads.emplace_back([&, i] {
            if (tokens_of(i).refresh_after_failure("access-0", k_start + k_hour) ==
                std::optional<std::string>("access-1")) {
                ++retried;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    return retried;
}

} // namespace

TEST_CASE("Zalo tokens: the configured pair is used first and refreshed about 20 hours later", "[unit][tokens]") {
    FakeOAuth oauth;
    MemoryVault vault;
    ChannelHealth health;
    ZaloTokens tokens(settings(), oauth, vault, health, k_start);
    CHECK(tokens.current() == "access-0");
    CHECK(vault.tokens.at("zalo:oa-1").refresh_token == "refresh-0");
    CHECK_FALSE(tokens.refresh_if_due(k_start + 19 * k_hour));
    CHECK(oauth.calls == 0);
    CHECK(tokens.refresh_if_due(k_start + 20 * k_hour));
    CHECK(oauth.last_body == "refresh_token=refresh-0&app_id=app-1&grant_type=refresh_token");
    CHECK(oauth.last_secret == "app-secret");
    CHECK(tokens.current() == "access-1");
    // Saved before use, with the next refresh 80 % into the 25-hour lifetime.
    CHECK(vault.tokens.at("zalo:oa-1").refresh_token == "refresh-1");
    CHECK(*vault.tokens.at("zalo:oa-1").refresh_due_at == k_start + 20 * k_hour + 72000 * 1000);
}

TEST_CASE("Zalo tokens: sends failing together on an expired token cause one refresh", "[unit][tokens]") {
    FakeOAuth oauth;
    MemoryVault vault;
    ChannelHealth health;
    ZaloTokens tokens(settings(), oauth, vault, health, k_start);
    const int retried_with_new = retried_with_new_token(20, [&](int) -> ZaloTokens& { return tokens; });
    CHECK(oauth.calls == 1);
    CHECK(retried_with_new == 20);
}

TEST_CASE("Zalo tokens: a restart uses the stored pair, a new configured pair replaces it", "[unit][tokens]") {
    FakeOAuth oauth;
    MemoryVault vault;
    ChannelHealth health;
    {
        ZaloTokens tokens(settings(), oauth, vault, health, k_start);
        tokens.refresh_after_failure("access-0", k_start);
    }
    ZaloTokens restarted(settings(), oauth, vault, health, k_start + k_hour);
    CHECK(restarted.current() == "access-1");
    // The shop authorised again: the configuration holds a pair pheu has not seen.
    ZaloTokens reauthorised(settings("fresh-access", "fresh-refresh"), oauth, vault, health, k_start + 2 * k_hour);
    CHECK(reauthorised.current() == "fresh-access");
    CHECK(vault.tokens.at("zalo:oa-1").refresh_token == "fresh-refresh");
}

TEST_CASE("Zalo tokens: a refused refresh token stops the OA until someone acts", "[unit][tokens]") {
    FakeOAuth oauth;
    oauth.refuse = true;
    MemoryVault vault;
    ChannelHealth health;
    std::vector<RefreshOutcome> outcomes;
    ZaloTokens tokens(settings(), oauth, vault, health, k_start,
                      [&](RefreshOutcome outcome) { outcomes.push_back(outcome); });
    CHECK_FALSE(tokens.refresh_after_failure("access-0", k_start).has_value());
    CHECK(health.stopped("zalo:oa-1"));
    CHECK(health.snapshot().at("zalo:oa-1").reason.find("connect the OA again from the console") != std::string::npos);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0] == RefreshOutcome::refused);
    // A stopped OA is not refreshed again by the proactive pass.
    CHECK_FALSE(tokens.refresh_if_due(k_start + 30 * k_hour));
    CHECK(oauth.calls == 1);
}

TEST_CASE("Zalo tokens: sends failing together on a pair Zalo refuses ask Zalo once", "[unit][tokens]") {
    FakeOAuth oauth;
    oauth.refuse = true; // the pair was spent by a refresh whose answer a crash lost
    MemoryVault vault;
    ChannelHealth health;
    ZaloTokens tokens(settings(), oauth, vault, health, k_start);
    CHECK(retried_with_new_token(8, [&](int) -> ZaloTokens& { return tokens; }) == 0);
    // The first refusal stopped the OA: the senders waiting behind it do not spend a call on a
    // token Zalo will refuse again.
    CHECK(oauth.calls == 1);
    CHECK(health.stopped("zalo:oa-1"));
}

TEST_CASE("Zalo tokens: an OAuth code connects a stopped OA, or leaves it as it was", "[unit][tokens]") {
    FakeOAuth oauth;
    MemoryVault vault;
    ChannelHealth health;
    ZaloTokenSettings unconnected = settings();
    unconnected.access_token.clear();
    unconnected.refresh_token.clear();
    ZaloTokens tokens(unconnected, oauth, vault, health, k_start);
    CHECK(health.stopped("zalo:oa-1"));
    CHECK(health.snapshot().at("zalo:oa-1").reason.find("not connected yet") != std::string::npos);
    CHECK_FALSE(tokens.refresh_if_due(k_start + k_hour)); // nothing to refresh with
    CHECK(oauth.calls == 0);

    const auto refused = tokens.connect("code-forged", "verifier-1", k_start);
    REQUIRE(refused.has_value());
    CHECK(refused->find("Invalid refresh token") != std::string::npos); // what Zalo said
    CHECK(health.stopped("zalo:oa-1"));
    CHECK(tokens.current().empty());

    CHECK_FALSE(tokens.connect("code-1", "verifier-1", k_start).has_value());
    CHECK_FALSE(health.stopped("zalo:oa-1"));
    CHECK(tokens.current() == "access-1");
    CHECK(oauth.last_body == "code=code-1&app_id=app-1&grant_type=authorization_code&code_verifier=verifier-1");
    CHECK(vault.tokens.at("zalo:oa-1").refresh_token == "refresh-1");
    // Refreshed 80 % into the 25 hours Zalo gave it.
    CHECK(vault.tokens.at("zalo:oa-1").refresh_due_at == k_start + 90000 * 1000 * 4 / 5);
}

TEST_CASE("Zalo tokens: an OA stopped here takes up the pair another instance connected, and only a new one",
          "[unit][tokens]") {
    FakeOAuth oauth;
    oauth.refuse = true; // the configured pair no longer works
    MemoryVault vault;   // the database both instances share
    ChannelHealth health_a;
    ChannelHealth health_b;
    ZaloTokens instance_a(settings(), oauth, vault, health_a, k_start);
    ZaloTokens instance_b(settings(), oauth, vault, health_b, k_start);
    CHECK_FALSE(instance_a.refresh_after_failure("access-0", k_start).has_value());
    CHECK_FALSE(instance_b.refresh_after_failure("access-0", k_start).has_value());
    REQUIRE(health_b.stopped("zalo:oa-1"));
    // Nothing new in the database: the refused pair is not taken up again.
    CHECK_FALSE(instance_b.adopt_pair_connected_elsewhere());
    CHECK(health_b.stopped("zalo:oa-1"));

    oauth.refuse = false;
    REQUIRE_FALSE(instance_a.connect("code-1", "verifier-1", k_start + k_hour).has_value());
    CHECK(instance_b.adopt_pair_connected_elsewhere());
    CHECK_FALSE(health_b.stopped("zalo:oa-1"));
    CHECK(instance_b.current() == "access-1");
    CHECK(oauth.calls == 3); // two refusals and the code's exchange: nothing asked for the adoption
    // A working OA keeps what it has.
    CHECK_FALSE(instance_b.adopt_pair_connected_elsewhere());
}

TEST_CASE("Zalo tokens: two pheu instances on one PostgreSQL refresh an expired pair once, and both use it",
          "[tokens][conformance]") {
    if (!pheu::testing::postgres_available()) {
        return;
    }
    const pheu::testing::ScratchDatabase scratch(pheu::store::sql::Backend::postgresql);
    const std::string path = scratch.target().location;
    pheu::store::open_and_migrate(path);
    FakeOAuth oauth; // Zalo: one refresh token valid at a time, a spent one refused
    pheu::store::WriteGate gate_a;
    pheu::store::WriteGate gate_b;
    DatabaseTokenVault vault_a(path, gate_a, nullptr);
    DatabaseTokenVault vault_b(path, gate_b, nullptr);
    ChannelHealth health_a;
    ChannelHealth health_b;
    ZaloTokens instance_a(settings(), oauth, vault_a, health_a, k_start);
    ZaloTokens instance_b(settings(), oauth, vault_b, health_b, k_start);
    const int retried_with_new =
        retried_with_new_token(8, [&](int i) -> ZaloTokens& { return i % 2 == 0 ? instance_a : instance_b; });
    // One call to Zalo; without the pair's lock the second instance spent a spent token, and
    // Zalo's refusal stopped the OA.
    CHECK(oauth.calls == 1);
    CHECK(retried_with_new == 8);
    CHECK_FALSE(health_a.stopped(ChannelHealth::key("zalo", "oa-1")));
    CHECK_FALSE(health_b.stopped(ChannelHealth::key("zalo", "oa-1")));
    const auto stored = vault_a.load("zalo", "oa-1");
    REQUIRE(stored);
    CHECK(stored->access_token == "access-1");
    CHECK(stored->refresh_token == "refresh-1");
}
