// Runs the real pheu binary so it can be killed with SIGKILL, then restarted on the same file.
#include "tests/support/fake_platforms.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <SQLiteCpp/Database.h>
#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <map>
#include <thread>

using namespace pheu::testing;
using nlohmann::json;

namespace {

// A live configuration against the fake platforms, with `delivery` settings.
// A live-transport configuration against `fake`, on DIR/pheu.db unless `database` names one.
std::string write_live_config(const TempDir& dir, const FakePlatforms& fake, const json& delivery,
                              const std::string& database = "") {
    const json config = {
        {"listen", {{"host", "127.0.0.1"}, {"port", 0}}},
        {"database", database.empty() ? dir.file("pheu.db") : database},
        {"admin_token", "admin-token-for-tests-only"},
        {"events_token", "events-token-for-tests-only"},
        {"transport", "live"},
        {"zalo",
         {{"api_base", fake.base_url()},
          {"oauth_base", fake.base_url()},
          {"zns_base", fake.base_url()},
          {"accounts",
           {{{"oa_id", "oa-1"},
             {"app_id", "app-1"},
             {"oa_secret_key", "oa-secret-1"},
             {"app_secret", FakePlatforms::k_app_secret},
             {"access_token", fake.zalo_access_token()},
             {"refresh_token", fake.zalo_refresh_token()}}}}}},
        {"delivery", delivery},
    };
    const std::string path = dir.file("live.json");
    std::ofstream(path) << config.dump(2);
    return path;
}

// The users the fake accepted consultation messages for, with how many each.
std::map<std::string, int> messages_received(const FakePlatforms& fake) {
    std::map<std::string, int> received;
    for (const auto& request : fake.accepted("/v3.0/oa/message/cs")) {
        ++received[request.json_body()["recipient"]["user_id"].get<std::string>()];
    }
    return received;
}

// `count` signed follows, from "<prefix>0" on, each answered 200.
void post_follows(int port, const std::string& prefix, int count) {
    httplib::Client client("127.0.0.1", port);
    const std::string timestamp = std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    for (int i = 0; i < count; ++i) {
        const std::string body =
            json{{"app_id", "app-1"},      {"oa_id", "oa-1"},        {"follower", {{"id", prefix + std::to_string(i)}}},
                 {"event_name", "follow"}, {"source", "oa_profile"}, {"timestamp", timestamp}}
                .dump();
        auto result = client.Post("/webhooks/zalo",
                                  {{"X-ZEvent-Signature", zalo_signature_for(body, "app-1", timestamp, "oa-secret-1")}},
                                  body, "application/json");
        REQUIRE(result);
        REQUIRE(result->status == 200);
    }
}

} // namespace

TEST_CASE("events acknowledged before kill -9 survive and are processed after restart", "[integration][crash]") {
    TempDir dir;
    constexpr int k_events = 40;
    {
        ServerProcess server(dir, write_sandbox_config(dir, /*worker_enabled=*/false), "first.log");
        httplib::Client client("127.0.0.1", server.port());
        for (int i = 0; i < k_events; ++i) {
            const std::string body = json{
                {"app_id", "app-1"},
                {"sender", {{"id", "user-" + std::to_string(i % 7)}}},
                {"recipient", {{"id", "oa-1"}}},
                {"event_name", "user_send_text"},
                {"message", {{"text", "xin chào"}, {"msg_id", "msg-" + std::to_string(i)}}},
                {"timestamp",
                 "1795428900000"}}.dump();
            auto result =
                client.Post("/webhooks/zalo",
                            {{"X-ZEvent-Signature", zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-1")}},
                            body, "application/json");
            REQUIRE(result);
            REQUIRE(result->status == 200);
        }
        // Killed right after the last answer: nothing gets a chance to flush or finish.
        CHECK(server.signal_and_wait(SIGKILL) == 128 + SIGKILL);
    }
    const std::string database = dir.file("pheu.db");
    CHECK(query_int(database, "SELECT count(*) FROM inbox_events") == k_events);
    CHECK(query_int(database, "SELECT count(*) FROM inbox_events WHERE state = 'pending'") == k_events);
    CHECK(query_int(database, "SELECT count(*) FROM customers") == 0);

    ServerProcess restarted(dir, write_sandbox_config(dir, /*worker_enabled=*/true), "second.log");
    for (int attempt = 0;
         attempt < 500 && query_int(database, "SELECT count(*) FROM inbox_events WHERE state = 'pending'") > 0;
         ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(query_int(database, "SELECT count(*) FROM inbox_events WHERE state = 'processed'") == k_events);
    CHECK(query_int(database, "SELECT count(*) FROM customers") == 7);
    // A graceful stop exits cleanly.
    CHECK(restarted.signal_and_wait(SIGTERM) == 0);
    CHECK(SQLite::Database(database).execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("kill -9 of pheu mid-batch sends no message twice and leaves none unaccounted for", "[integration][crash]") {
    TempDir dir;
    FakePlatforms fake;
    // Every consultation message takes 150 ms to answer, so calls are in flight at the kill.
    fake.script("/v3.0/oa/message/cs", {200, json(), 150, {}}, 1000);
    const std::string config_path = write_live_config(
        dir, fake, {{"concurrency", 4}, {"interval_ms", 50}, {"in_doubt_grace_seconds", 1}, {"retry_base_ms", 20}});
    constexpr int k_followers = 30;
    {
        ServerProcess server(dir, config_path, "first.log");
        post_follows(server.port(), "crash-user-", k_followers);
        for (int attempt = 0; attempt < 500 && fake.accepted("/v3.0/oa/message/cs").size() < 8; ++attempt) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        CHECK(server.signal_and_wait(SIGKILL) == 128 + SIGKILL);
    }
    const std::string database = dir.file("pheu.db");
    CHECK(SQLite::Database(database).execAndGet("PRAGMA integrity_check").getString() == "ok");
    const std::int64_t sent_before = query_int(database, "SELECT count(*) FROM outbox WHERE status = 'sent'");
    CHECK(sent_before < k_followers); // the kill came mid-way

    ServerProcess restarted(dir, config_path, "second.log");
    for (int attempt = 0;
         attempt < 1000 && query_int(database, "SELECT count(*) FROM outbox WHERE status = 'queued'") > 0; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(restarted.signal_and_wait(SIGTERM) == 0);

    // Every message is accounted for: sent, or failed because its outcome is unknown.
    CHECK(query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message'") == k_followers);
    CHECK(query_int(database, "SELECT count(*) FROM outbox WHERE status = 'queued'") == 0);
    CHECK(query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND NOT (status = 'sent' OR "
                              "(status = 'failed' AND reason LIKE 'outcome_unknown%'))") == 0);
    // The platform received no message twice, and every one recorded as sent arrived.
    const std::map<std::string, int> received = messages_received(fake);
    for (const auto& [recipient, count] : received) {
        INFO(recipient);
        CHECK(count == 1);
    }
    SQLite::Database db(database, SQLite::OPEN_READONLY);
    SQLite::Statement sent(db, "SELECT recipient FROM outbox WHERE kind = 'message' AND status = 'sent'");
    while (sent.executeStep()) {
        CHECK(received.count(sent.getColumn(0).getString()) == 1);
    }
    CHECK(query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'sent'") +
              query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'failed'") ==
          k_followers);
    CHECK(SQLite::Database(database).execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("kill -9 while claimed messages wait for the rate limit: those never sent go after the restart",
          "[integration][crash]") {
    TempDir dir;
    FakePlatforms fake;
    fake.script("/v3.0/oa/message/cs", {200, json(), 100, {}}, 1000);
    // Two messages a second: the dispatcher claims eight ahead, and most of them wait their turn.
    const std::string config_path = write_live_config(
        dir, fake, {{"concurrency", 4}, {"interval_ms", 50}, {"zalo_per_second", 2}, {"in_doubt_grace_seconds", 1}});
    constexpr int k_followers = 20;
    {
        ServerProcess server(dir, config_path, "first.log");
        post_follows(server.port(), "waiting-user-", k_followers);
        for (int attempt = 0; attempt < 1000 && fake.accepted("/v3.0/oa/message/cs").size() < 6; ++attempt) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        CHECK(server.signal_and_wait(SIGKILL) == 128 + SIGKILL);
    }
    const std::string database = dir.file("pheu.db");
    const std::int64_t claimed_at_kill =
        query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND sending_since IS NOT NULL");
    CHECK(claimed_at_kill >= 4); // the situation under test: several claimed rows waiting

    ServerProcess restarted(dir, config_path, "second.log");
    for (int attempt = 0;
         attempt < 1500 && query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND "
                                               "(status = 'queued' OR sending_since IS NOT NULL)") > 0;
         ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(restarted.signal_and_wait(SIGTERM) == 0);

    const std::map<std::string, int> received = messages_received(fake);
    for (const auto& [recipient, count] : received) {
        INFO(recipient);
        CHECK(count == 1); // never twice
    }
    // Every follower got the welcome: only a message whose request was on its way at the kill
    // could be in doubt, and the platform received each of those.
    CHECK(received.size() == static_cast<std::size_t>(k_followers));
    const std::int64_t in_doubt = query_int(
        database,
        "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'failed' AND reason LIKE 'outcome_unknown%'");
    CHECK(in_doubt <= 4); // at most the calls in flight, one per sender
    CHECK(query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'sent'") + in_doubt ==
          k_followers);
}

TEST_CASE("an instance that hangs while it sends: another takes its claims back, and nothing is sent twice",
          "[integration][crash][instances]") {
    if (server_backend() != pheu::store::sql::Backend::postgresql) {
        return; // one SQLite file has one server
    }
    const ScratchDatabase database(pheu::store::sql::Backend::postgresql);
    TempDir dir;
    FakePlatforms fake;
    // Each welcome takes 300 ms to answer and goes at two a second: when the first instance
    // hangs, some of its claims are calls under way and some wait for their turn.
    fake.script("/v3.0/oa/message/cs", {200, json(), 300, {}}, 1000);
    const std::string config_path = write_live_config(
        dir, fake, {{"concurrency", 4}, {"interval_ms", 50}, {"zalo_per_second", 2}, {"in_doubt_grace_seconds", 1}},
        database.target().location);
    const std::string url = database.target().location;
    const auto count_of = [&](const std::string& condition) {
        return query_int(url, "SELECT count(*) FROM outbox WHERE kind = 'message' AND " + condition);
    };
    constexpr int k_followers = 16;
    ServerProcess first(dir, config_path, "first.log");
    post_follows(first.port(), "hang-user-", k_followers);
    // Paused once calls went out and several claims are held (the dispatcher claims as the
    // workers' commits bring welcomes, so how many it holds at a given call varies with load).
    for (int attempt = 0; attempt < 1000 && (fake.requests("/v3.0/oa/message/cs").size() < 3 ||
                                             count_of("sending_since IS NOT NULL") < 3);
         ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    first.pause(); // hangs, its claims held, its heartbeat stopped
    const std::int64_t held = count_of("sending_since IS NOT NULL");
    CHECK(held >= 3);

    // The second instance waits out the first one's heartbeat (30 s), takes its claims back
    // and sends what had not gone out.
    ServerProcess second(dir, config_path, "second.log");
    bool settled = false;
    // (Up to a minute more if it hung inside a transaction: the database ends that session.)
    for (int attempt = 0; attempt < 2000 && !settled; ++attempt) {
        settled = count_of("(status = 'queued' OR sending_since IS NOT NULL)") == 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    INFO("claimed when the first hung: " << held);
    REQUIRE(settled);
    // The first one wakes: the jobs it still held find their rows taken back, and send nothing.
    first.resume();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    CHECK(first.signal_and_wait(SIGTERM) == 0);
    CHECK(second.signal_and_wait(SIGTERM) == 0);

    const std::map<std::string, int> received = messages_received(fake);
    for (const auto& [recipient, times] : received) {
        INFO(recipient);
        CHECK(times == 1);
    }
    // A call under way at the hang is in doubt and never sent again (its late answer may
    // record it sent); the rest went out from the second instance.
    const std::int64_t sent = count_of("status = 'sent'");
    CHECK(sent == static_cast<std::int64_t>(received.size()));
    CHECK(sent + count_of("status = 'failed' AND reason LIKE 'outcome_unknown%'") == k_followers);
    CHECK(received.size() >= static_cast<std::size_t>(k_followers) - 4); // at most the calls under way
}

TEST_CASE("control characters a request sends reach the log escaped and forge no line", "[integration][process]") {
    TempDir dir;
    ServerProcess server(dir, write_sandbox_config(dir, /*worker_enabled=*/false), "pheu.log");
    // Percent-decoded, this path ends the line and writes a fake error, a terminal escape and a NUL.
    const std::string forged = "/x%0d%0a[2026-12-06%2010:00:00.000]%20[error]%20forged%1b[31m%00%7f";
    httplib::Client client("127.0.0.1", server.port());
    for (const char* method : {"GET", "POST"}) {
        httplib::Request request;
        request.method = method;
        request.path = forged;
        auto answered = client.send(request);
        REQUIRE(answered);
        CHECK(answered->status >= 400);
    }
    server.signal_and_wait(SIGTERM);
    std::ifstream file(server.log_path(), std::ios::binary);
    const std::string log((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    CHECK(log.find("\\x0d\\x0a[2026-12-06 10:00:00.000] [error] forged\\x1b[31m\\x00\\x7f") != std::string::npos);
    CHECK(log.find("\n[2026-12-06 10:00:00.000] [error] forged") == std::string::npos);
    for (const char control : {'\r', '\x1b', '\0', '\x7f'}) {
        CHECK(log.find(control) == std::string::npos);
    }
}

namespace {

// Polls `condition` every 20 ms for up to 30 s.
template <typename Condition> bool eventually_true(Condition condition) {
    for (int attempt = 0; attempt < 1500; ++attempt) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

// Sends an admin request to the process on `port`; returns the status and parsed answer.
std::pair<int, json> admin_call(int port, const std::string& method, const std::string& path, const json& body) {
    httplib::Client client("127.0.0.1", port);
    const httplib::Headers headers = {{"Authorization", "Bearer admin-token-for-tests-only"}};
    auto result = method == "GET"   ? client.Get(path, headers)
                  : method == "PUT" ? client.Put(path, headers, body.dump(), "application/json")
                                    : client.Post(path, headers, body.dump(), "application/json");
    REQUIRE(result);
    return {result->status, json::parse(result->body, nullptr, false)};
}

// The users the fake received the broadcast's text for, with how often.
std::map<std::string, int> offer_receipts(const FakePlatforms& fake) {
    std::map<std::string, int> received;
    for (const auto& request : fake.accepted("/v3.0/oa/message/cs")) {
        const json body = request.json_body();
        if (body["message"].value("text", "").find("Tết") != std::string::npos) {
            ++received[body["recipient"]["user_id"].get<std::string>()];
        }
    }
    return received;
}

} // namespace

TEST_CASE("kill -9 in the middle of a broadcast: after the restart nobody gets it twice and the rest get it",
          "[integration][crash][broadcasts]") {
    TempDir dir;
    FakePlatforms fake;
    const std::string config_path = write_live_config(dir, fake,
                                                      {{"concurrency", 4},
                                                       {"interval_ms", 50},
                                                       {"in_doubt_grace_seconds", 1},
                                                       {"retry_base_ms", 20},
                                                       {"zalo_per_second", 1000}});
    const std::string database = dir.file("pheu.db");
    constexpr int k_followers = 300;
    std::string broadcast_id;
    {
        ServerProcess server(dir, config_path, "first.log");
        post_follows(server.port(), "bc-user-", k_followers);
        // The welcomes go first; then every broadcast message takes 20 ms to answer.
        const bool settled = eventually_true([&] {
            return query_int(database, "SELECT count(*) FROM inbox_events WHERE state = 'pending'") == 0 &&
                   query_int(database, "SELECT count(*) FROM outbox WHERE status = 'queued'") == 0;
        });
        if (!settled) {
            SQLite::Database db(database, SQLite::OPEN_READONLY);
            SQLite::Statement rows(
                db, "SELECT kind, coalesce(reason, ''), count(*) FROM outbox WHERE status = 'queued' GROUP BY 1, 2");
            while (rows.executeStep()) {
                WARN(rows.getColumn(0).getString()
                     << " " << rows.getColumn(1).getString() << " " << rows.getColumn(2).getInt());
            }
        }
        REQUIRE(settled);
        fake.script("/v3.0/oa/message/cs", {200, json(), 20, {}}, 10000);
        // The test runs on the real clock: without quiet hours, the broadcast goes out at
        // whatever hour the test runs, and is not held for the morning.
        REQUIRE(admin_call(server.port(), "PUT", "/api/v1/settings/send_policy",
                           {{"quiet_hours", {{"start", "00:00"}, {"end", "00:00"}}}})
                    .first == 200);
        REQUIRE(admin_call(server.port(), "POST", "/api/v1/templates",
                           {{"id", "tet_offer"}, {"body", "Tết này shop giảm 20% cho bạn!"}})
                    .first == 201);
        const auto [segment_status, segment] =
            admin_call(server.port(), "POST", "/api/v1/segments", {{"name", "Mọi người"}, {"filter", json::object()}});
        REQUIRE(segment_status == 201);
        const auto [status, broadcast] =
            admin_call(server.port(), "POST", "/api/v1/broadcasts",
                       {{"name", "Tết"}, {"segment_id", segment["id"]}, {"template", "tet_offer"}});
        REQUIRE(status == 201);
        broadcast_id = broadcast["id"];
        for (int attempt = 0; attempt < 1000 && offer_receipts(fake).size() < 60; ++attempt) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        CHECK(server.signal_and_wait(SIGKILL) == 128 + SIGKILL);
    }
    CHECK(offer_receipts(fake).size() < k_followers); // the kill came mid-way

    ServerProcess restarted(dir, config_path, "second.log");
    json broadcast;
    for (int attempt = 0; attempt < 1500; ++attempt) {
        broadcast = admin_call(restarted.port(), "GET", "/api/v1/broadcasts/" + broadcast_id, json()).second;
        if (broadcast["status"] == "done") {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    INFO(broadcast.dump());
    REQUIRE(broadcast["status"] == "done");
    CHECK(restarted.signal_and_wait(SIGTERM) == 0);

    // One decision per follower; each received it once, or its send's outcome is unknown
    // (in flight at the kill: failed, never resent).
    CHECK(broadcast["audience"] == k_followers);
    const auto received = offer_receipts(fake);
    for (const auto& [user, count] : received) {
        INFO(user);
        CHECK(count == 1);
    }
    const std::string trigger = "'broadcast:" + broadcast_id + "'";
    CHECK(query_int(database, "SELECT count(DISTINCT customer_id) FROM outbox WHERE trigger = " + trigger) ==
          k_followers);
    CHECK(query_int(database, "SELECT count(*) FROM outbox WHERE trigger = " + trigger) == k_followers);
    const std::int64_t sent =
        query_int(database, "SELECT count(*) FROM outbox WHERE trigger = " + trigger + " AND status = 'sent'");
    const std::int64_t in_doubt = query_int(database, "SELECT count(*) FROM outbox WHERE trigger = " + trigger +
                                                          " AND status = 'failed' AND reason LIKE 'outcome_unknown%'");
    CHECK(sent + in_doubt == k_followers);
    CHECK(broadcast["sent"] == sent);
    // Every message recorded sent arrived; those in doubt may have.
    CHECK(static_cast<std::int64_t>(received.size()) >= sent);
    CHECK(static_cast<std::int64_t>(received.size()) <= sent + in_doubt);
    SQLite::Database db(database, SQLite::OPEN_READONLY);
    SQLite::Statement sent_to(db, "SELECT recipient FROM outbox WHERE trigger = " + trigger + " AND status = 'sent'");
    while (sent_to.executeStep()) {
        CHECK(received.count(sent_to.getColumn(0).getString()) == 1);
    }
}
