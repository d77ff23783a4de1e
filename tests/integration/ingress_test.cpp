// The real server on an ephemeral port with a temporary SQLite file, spoken to over HTTP.
#include "tests/support/test_server.h"

#include <SQLiteCpp/Database.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <chrono>
#include <csignal>

using namespace pheu::testing;
using nlohmann::json;

namespace {

std::string zalo_text_body(const std::string& app_id, const std::string& msg_id,
                           const std::string& text = "Chào shop") {
    return json{{"app_id", app_id},
                {"sender", {{"id", "8958041078911298472"}}},
                {"recipient", {{"id", "oa-1"}}},
                {"event_name", "user_send_text"},
                {"message", {{"text", text}, {"msg_id", msg_id}}},
                {"timestamp", "1795428900000"}}
        .dump();
}

httplib::Result post_zalo(const TestServer& server, const std::string& body, const std::string& signature,
                          const std::string& header_name = "X-ZEvent-Signature") {
    httplib::Headers headers;
    if (!signature.empty()) {
        headers.emplace(header_name, signature);
    }
    return server.client().Post("/webhooks/zalo", headers, body, "application/json");
}

json error_of(const httplib::Result& result) {
    REQUIRE(result);
    const json body = json::parse(result->body, nullptr, false);
    REQUIRE(body.is_object());
    REQUIRE(body.contains("error"));
    return body["error"];
}

} // namespace

TEST_CASE("a signed Zalo event is stored once, answered 200, and processed", "[integration][zalo]") {
    TestServer server;
    const std::string body = zalo_text_body("app-1", "msg-1");
    const auto first = post_zalo(server, body, zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-1"));
    REQUIRE(first);
    CHECK(first->status == 200);
    CHECK(server.inbox_total() == 1);

    SECTION("its redelivery is answered 200 and not stored again") {
        const auto again = post_zalo(server, body, zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-1"));
        REQUIRE(again);
        CHECK(again->status == 200);
        CHECK(server.inbox_total() == 1);
    }
    SECTION("the worker processes it into a customer with the event's time") {
        REQUIRE(server.wait_until_processed());
        CHECK(server.inbox_count("processed") == 1);
        CHECK(query_int(server.database(), "SELECT last_interaction_at FROM customers") == 1795428900000);
        CHECK(query_int(server.database(), "SELECT count(*) FROM customer_identities WHERE channel='zalo' AND "
                                           "external_id='8958041078911298472'") == 1);
    }
    SECTION("the signature header name is case-insensitive") {
        const std::string other = zalo_text_body("app-1", "msg-2");
        const auto lower = post_zalo(server, other, zalo_signature_for(other, "app-1", "1795428900000", "oa-secret-1"),
                                     "x-zevent-signature");
        REQUIRE(lower);
        CHECK(lower->status == 200);
        CHECK(server.inbox_total() == 2);
    }
}

TEST_CASE("Zalo events with bad signatures are refused with 401 and not stored", "[integration][zalo]") {
    TestServer server;
    const std::string body = zalo_text_body("app-1", "msg-1");
    SECTION("wrong mac") {
        auto result = post_zalo(server, body, "mac=" + std::string(64, '0'));
        CHECK(result->status == 401);
        CHECK(error_of(result)["code"] == "invalid_signature");
    }
    SECTION("missing header") {
        CHECK(post_zalo(server, body, "")->status == 401);
    }
    SECTION("signed with another account's key") {
        CHECK(post_zalo(server, body, zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-2"))->status ==
              401);
        CHECK(post_zalo(server, body, zalo_signature_for(body, "app-2", "1795428900000", "oa-secret-2"))->status ==
              401);
    }
    SECTION("an account that is not configured") {
        const std::string stranger = zalo_text_body("app-9", "msg-1");
        auto result = post_zalo(server, stranger, zalo_signature_for(stranger, "app-9", "1795428900000", "x"));
        CHECK(result->status == 401);
        CHECK(error_of(result)["code"] == "unknown_account");
    }
    SECTION("one flipped byte of the body") {
        const std::string signature = zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-1");
        std::string flipped = body;
        flipped[flipped.find("Chào")] = 'c';
        CHECK(post_zalo(server, flipped, signature)->status == 401);
    }
    CHECK(server.inbox_total() == 0);
}

TEST_CASE("Zalo bodies that are not JSON objects get 400, oversized ones 413", "[integration][zalo]") {
    TestServer server;
    auto not_json = post_zalo(server, "event_name=follow", "mac=" + std::string(64, 'a'));
    CHECK(not_json->status == 400);
    CHECK(error_of(not_json)["code"] == "invalid_json");
    CHECK(post_zalo(server, "[1,2,3]", "")->status == 400);

    const std::string huge = zalo_text_body("app-1", "big", std::string(70 * 1024, 'x'));
    auto too_large = post_zalo(server, huge, zalo_signature_for(huge, "app-1", "1795428900000", "oa-secret-1"));
    REQUIRE(too_large);
    CHECK(too_large->status == 413);
    CHECK(error_of(too_large)["code"] == "payload_too_large");
    CHECK(server.inbox_total() == 0);
}

TEST_CASE("a signed Zalo body without event_name is kept for inspection and answered 400", "[integration][zalo]") {
    TestServer server;
    const std::string body = R"({"app_id":"app-1","sender":{"id":"1"},"timestamp":"1795428900000"})";
    auto result = post_zalo(server, body, zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-1"));
    CHECK(result->status == 400);
    CHECK(error_of(result)["code"] == "missing_field");
    CHECK(server.inbox_count("rejected") == 1);
    CHECK(server.inbox_count("pending") + server.inbox_count("processed") == 0);
}

TEST_CASE("Zalo events without app_id are matched by their OA id, numeric timestamps sign as written",
          "[integration][zalo]") {
    TestServer server;
    const std::string follow =
        R"({"oa_id":"oa-2","follower":{"id":"777"},"event_name":"follow","source":"oa_profile","timestamp":1795428900000})";
    CHECK(post_zalo(server, follow, zalo_signature_for(follow, "app-2", "1795428900000", "oa-secret-2"))->status ==
          200);
    const std::string echo =
        R"({"sender":{"id":"oa-1"},"recipient":{"id":"777"},"event_name":"oa_send_text","message":{"msg_id":"e1","text":"hi"},"timestamp":"1795428900001"})";
    CHECK(post_zalo(server, echo, zalo_signature_for(echo, "app-1", "1795428900001", "oa-secret-1"))->status == 200);
    CHECK(server.inbox_total() == 2);
    CHECK(query_int(server.database(),
                    "SELECT count(*) FROM inbox_events WHERE account_id = 'oa-2' AND kind = 'follow'") == 1);
}

TEST_CASE("unknown Zalo events are stored and counted, Vietnamese text in any form is accepted",
          "[integration][zalo]") {
    TestServer server;
    const std::string unknown =
        R"({"app_id":"app-1","sender":{"id":"1"},"recipient":{"id":"oa-1"},"event_name":"user_call_oa","timestamp":"1795428900000"})";
    CHECK(post_zalo(server, unknown, zalo_signature_for(unknown, "app-1", "1795428900000", "oa-secret-1"))->status ==
          200);
    // NFD ("Khuyến" decomposed), emoji, and \u escapes are signed over the exact bytes sent.
    for (const std::string& text : {std::string("Khuye\xcc\x82\xcc\x81n ma\xcc\x83i \xf0\x9f\x8e\x89"),
                                    std::string("Khuy\xe1\xba\xbfn m\xc3\xa3i")}) {
        const std::string body = zalo_text_body("app-1", "m-" + std::to_string(text.size()), text);
        CHECK(post_zalo(server, body, zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-1"))->status ==
              200);
    }
    const std::string escaped =
        R"({"app_id":"app-1","sender":{"id":"1"},"event_name":"user_send_text","message":{"msg_id":"esc","text":"Khuy\u1ebfn m\u00e3i"},"timestamp":"1795428900000"})";
    CHECK(post_zalo(server, escaped, zalo_signature_for(escaped, "app-1", "1795428900000", "oa-secret-1"))->status ==
          200);
    CHECK(server.inbox_total() == 4);
    const auto metrics = server.client().Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("pheu_events_unknown_total{source=\"zalo\"} 1") != std::string::npos);
}

TEST_CASE("Messenger verify handshake", "[integration][messenger]") {
    TestServer server;
    auto ok =
        server.client().Get("/webhooks/messenger?hub.mode=subscribe&hub.verify_token=verify-1&hub.challenge=12345");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(ok->body == "12345");
    CHECK(server.client().Get("/webhooks/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")->status ==
          403);
    CHECK(server.client()
              .Get("/webhooks/messenger?hub.mode=unsubscribe&hub.verify_token=verify-1&hub.challenge=1")
              ->status == 403);
    CHECK(server.client().Get("/webhooks/messenger")->status == 403);
}

TEST_CASE("Messenger batches are stored one event per item, each deduplicated", "[integration][messenger]") {
    TestServer server;
    const std::string body = R"({"object":"page","entry":[{"id":"page-1","time":1795428900000,"messaging":[
        {"sender":{"id":"psid-1"},"recipient":{"id":"page-1"},"timestamp":1795428900001,"message":{"mid":"m.1","text":"Giá bao nhiêu?"}},
        {"sender":{"id":"page-1"},"recipient":{"id":"psid-1"},"timestamp":1795428900002,"message":{"mid":"m.2","text":"Dạ 699k","is_echo":true}},
        {"sender":{"id":"psid-1"},"recipient":{"id":"page-1"},"timestamp":1795428900003,"postback":{"title":"Voucher","payload":"VOUCHER"}}]}]})";
    const auto post = [&](const std::string& text, const std::string& signature) {
        return server.client().Post("/webhooks/messenger", {{"X-Hub-Signature-256", signature}}, text,
                                    "application/json");
    };
    auto first = post(body, messenger_signature_for(body, "page-secret-1"));
    REQUIRE(first);
    CHECK(first->status == 200);
    CHECK(server.inbox_total() == 3);
    CHECK(query_int(server.database(), "SELECT count(*) FROM inbox_events WHERE kind = 'echo'") == 1);

    const std::string overlapping = R"({"object":"page","entry":[{"id":"page-1","messaging":[
        {"sender":{"id":"psid-1"},"recipient":{"id":"page-1"},"timestamp":1795428900001,"message":{"mid":"m.1","text":"Giá bao nhiêu?"}},
        {"sender":{"id":"psid-1"},"recipient":{"id":"page-1"},"timestamp":1795428900009,"message":{"mid":"m.3","text":"?"}}]}]})";
    CHECK(post(overlapping, messenger_signature_for(overlapping, "page-secret-1"))->status == 200);
    CHECK(server.inbox_total() == 4);

    CHECK(post(body, messenger_signature_for(body, "another-secret"))->status == 401);
    CHECK(post(body, "")->status == 401);
    CHECK(post(body, "sha1=" + messenger_signature_for(body, "page-secret-1").substr(7))->status == 401);
    CHECK(post(R"({"object":"page"})", "sha256=00")->status == 400);
    CHECK(post("not json", "sha256=00")->status == 400);
    const std::string other_page = R"({"object":"page","entry":[{"id":"page-9","messaging":[]}]})";
    CHECK(post(other_page, messenger_signature_for(other_page, "page-secret-1"))->status == 401);
    CHECK(server.inbox_total() == 4);
}

TEST_CASE("healthz says degraded while the inbox cannot commit, and ok once it can again", "[integration][zalo]") {
    if (pheu::testing::server_backend() == pheu::store::sql::Backend::postgresql) {
        return; // the disk filled here is the SQLite file's; a PostgreSQL server's disk is its own
    }
    TestServer server;
    REQUIRE(post_zalo(server, zalo_text_body("app-1", "before"), "")->status == 401); // warms nothing up
    const std::string before = zalo_text_body("app-1", "before-full");
    REQUIRE(post_zalo(server, before, zalo_signature_for(before, "app-1", "1795428900000", "oa-secret-1"))->status ==
            200);
    // A disk with no room: the log is emptied into the database, then no file may grow.
    {
        SQLite::Database db(server.database(), SQLite::OPEN_READWRITE);
        db.setBusyTimeout(10000);
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit saved{};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    rlimit full = saved;
    full.rlim_cur = 0;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &full) == 0);
    const std::string during = zalo_text_body("app-1", "during-full");
    const auto refused = post_zalo(server, during, zalo_signature_for(during, "app-1", "1795428900000", "oa-secret-1"));
    const auto degraded = server.client().Get("/healthz");
    ::setrlimit(RLIMIT_FSIZE, &saved);
    REQUIRE(refused);
    CHECK(refused->status == 503);
    REQUIRE(degraded);
    CHECK(degraded->status == 503);
    const json health = json::parse(degraded->body);
    CHECK(health["status"] == "degraded");
    REQUIRE(health["reasons"].size() == 1);
    CHECK(health["reasons"][0].get<std::string>().rfind("inbox_cannot_commit", 0) == 0);
    // Room again: ok at once, before any event has had to find out.
    const auto recovered = server.client().Get("/healthz");
    REQUIRE(recovered);
    CHECK(recovered->status == 200);
    CHECK(json::parse(recovered->body)["status"] == "ok");
    CHECK(post_zalo(server, during, zalo_signature_for(during, "app-1", "1795428900000", "oa-secret-1"))->status ==
          200);
}

TEST_CASE("a platform's event dated far ahead is recorded at its arrival, and counted", "[integration][zalo]") {
    TestServer server;
    const std::int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    const std::string ahead = "4102444800000"; // 2100-01-01
    const std::string zalo = json{
        {"app_id", "app-1"},
        {"sender", {{"id", "future-user"}}},
        {"recipient", {{"id", "oa-1"}}},
        {"event_name", "user_send_text"},
        {"message", {{"text", "dừng"}, {"msg_id", "future-1"}}},
        {"timestamp", ahead}}.dump();
    CHECK(post_zalo(server, zalo, zalo_signature_for(zalo, "app-1", ahead, "oa-secret-1"))->status == 200);
    const std::string messenger = R"({"object":"page","entry":[{"id":"page-1","messaging":[
        {"sender":{"id":"psid-future"},"recipient":{"id":"page-1"},"timestamp":9223372036854775807,"message":{"mid":"m.future","text":"hi"}}]}]})";
    CHECK(server.client()
              .Post("/webhooks/messenger",
                    {{"X-Hub-Signature-256", messenger_signature_for(messenger, "page-secret-1")}}, messenger,
                    "application/json")
              ->status == 200);
    CHECK(query_int(server.database(), "SELECT count(*) FROM inbox_events") == 2);
    CHECK(query_int(server.database(), "SELECT max(occurred_at) FROM inbox_events") < now_ms + 60000);
    CHECK(query_int(server.database(), "SELECT min(occurred_at) FROM inbox_events") >= now_ms - 60000);
    const auto metrics = server.client().Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find(R"(pheu_event_times_replaced_total{source="zalo"} 1)") != std::string::npos);
    CHECK(metrics->body.find(R"(pheu_event_times_replaced_total{source="messenger"} 1)") != std::string::npos);
    // The events API refuses such a time instead, int64's largest included.
    auto refused = server.client().Post(
        "/api/v1/events", {{"Authorization", "Bearer events-token-for-tests-only"}},
        R"({"events":[{"event_id":"e-max","type":"product_viewed","occurred_at":9223372036854775807,"customer":{"phone":"0912345678"}}]})",
        "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(error_of(refused)["path"] == "/events/0/occurred_at");
}

TEST_CASE("a Messenger batch signed by one app's secret stores only that app's pages' entries",
          "[integration][messenger]") {
    TestServer server([](pheu::bot::Config& config) {
        config.messenger_pages = {{"page-a", "secret-of-app-a", "verify-a", ""},
                                  {"page-a2", "secret-of-app-a", "verify-a", ""},
                                  {"page-b", "secret-of-app-b", "verify-b", ""}};
    });
    // Signed with page A's secret; the second entry speaks for page B's customer, the third
    // for a page pheu does not know, the fourth for another page of app A.
    const std::string forged = R"({"object":"page","entry":[
        {"id":"page-a","messaging":[{"sender":{"id":"psid-a"},"recipient":{"id":"page-a"},"timestamp":1795428900001,"message":{"mid":"m.a","text":"Chào shop"}}]},
        {"id":"page-b","messaging":[{"sender":{"id":"psid-b"},"recipient":{"id":"page-b"},"timestamp":1795428900002,"message":{"mid":"m.b","text":"dừng"}}]},
        {"id":"page-x","messaging":[{"sender":{"id":"psid-x"},"recipient":{"id":"page-x"},"timestamp":1795428900003,"message":{"mid":"m.x","text":"dừng"}}]},
        {"id":"page-a2","messaging":[{"sender":{"id":"psid-c"},"recipient":{"id":"page-a2"},"timestamp":1795428900004,"message":{"mid":"m.c","text":"Còn size M không?"}}]}]})";
    auto posted = server.client().Post("/webhooks/messenger",
                                       {{"X-Hub-Signature-256", messenger_signature_for(forged, "secret-of-app-a")}},
                                       forged, "application/json");
    REQUIRE(posted);
    CHECK(posted->status == 200);
    CHECK(server.inbox_total() == 2);
    CHECK(query_int(server.database(), "SELECT count(*) FROM inbox_events WHERE account_id = 'page-b'") == 0);
    CHECK(query_int(server.database(), "SELECT count(*) FROM inbox_events WHERE account_id = 'page-x'") == 0);
    const auto metrics = server.client().Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find(R"(pheu_requests_rejected_total{reason="entry_of_other_app",source="messenger"} 2)") !=
          std::string::npos);
}

TEST_CASE("the events API stores valid batches and refuses a batch with one bad event whole",
          "[integration][events_api]") {
    TestServer server;
    const auto post = [&](const json& body, const std::string& token = "events-token-for-tests-only") {
        return server.client().Post("/api/v1/events", {{"Authorization", "Bearer " + token}}, body.dump(),
                                    "application/json");
    };
    const auto purchase = [](const std::string& id, json total) {
        return json{{"event_id", id},
                    {"type", "purchase"},
                    {"occurred_at", "2026-11-13T10:00:00Z"},
                    {"customer", {{"phone", "+84912345678"}}},
                    {"properties", {{"order_id", "o-" + id}, {"total", std::move(total)}}}};
    };

    auto bad = post(json{{"events", {purchase("e1", 100000), purchase("e2", "free"), purchase("e3", 1)}}});
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK(error_of(bad)["path"] == "/events/1/properties/total");
    CHECK(server.inbox_total() == 0);

    auto good = post(json{{"events", {purchase("e1", 100000), purchase("e2", 200000)}}});
    REQUIRE(good);
    CHECK(good->status == 202);
    CHECK(json::parse(good->body) == json{{"accepted", 2}, {"duplicates", 0}});

    auto again = post(json{{"events", {purchase("e2", 200000), purchase("e3", 300000)}}});
    CHECK(json::parse(again->body) == json{{"accepted", 1}, {"duplicates", 1}});
    CHECK(server.inbox_total() == 3);

    // Dated a year ahead (a till with a wrong clock): refused with the field's path, nothing stored.
    json ahead = purchase("e-ahead", 1);
    ahead["occurred_at"] = "2099-01-01T10:00:00Z";
    auto future = post(json{{"events", {purchase("e5", 1), ahead}}});
    REQUIRE(future);
    CHECK(future->status == 400);
    CHECK(error_of(future)["path"] == "/events/1/occurred_at");
    CHECK(server.inbox_total() == 3);

    // A total no till could ring up (5·10^18 broke the reports' sums): refused at the door.
    auto huge = post(purchase("e-huge", 5'000'000'000'000'000'000));
    REQUIRE(huge);
    CHECK(huge->status == 400);
    CHECK(error_of(huge)["path"] == "/properties/total");
    // A null name is no name, not a server error.
    json unnamed = purchase("e-unnamed", 1000);
    unnamed["customer"]["name"] = nullptr;
    auto accepted = post(unnamed);
    REQUIRE(accepted);
    CHECK(accepted->status == 202);
    CHECK(server.inbox_total() == 4);

    CHECK(post(purchase("e4", 1), "wrong")->status == 401);
    CHECK(server.client().Post("/api/v1/events", purchase("e4", 1).dump(), "application/json")->status == 401);
    CHECK(server.client()
              .Post("/api/v1/events", {{"Authorization", "Bearer events-token-for-tests-only"}}, "{oops",
                    "application/json")
              ->status == 400);

    REQUIRE(server.wait_until_processed());
    // Three purchases named the same phone in three spellings: one customer.
    CHECK(query_int(server.database(), "SELECT count(*) FROM customers") == 1);
    CHECK(query_int(
              server.database(),
              "SELECT count(*) FROM customer_identities WHERE channel = 'phone' AND external_id = '84912345678'") == 1);
}

TEST_CASE("health and metrics answer", "[integration][operations]") {
    TestServer server;
    auto health = server.client().Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(json::parse(health->body) == json{{"status", "ok"}});
    server.client().Post("/webhooks/zalo", "[]", "application/json");
    auto metrics = server.client().Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->status == 200);
    CHECK(metrics->body.find("pheu_inbox_backlog 0") != std::string::npos);
    CHECK(metrics->body.find("pheu_requests_rejected_total{reason=\"invalid_json\",source=\"zalo\"} 1") !=
          std::string::npos);
    CHECK(metrics->body.find("pheu_http_request_duration_seconds_bucket") != std::string::npos);
    auto missing = server.client().Get("/nothing-here");
    CHECK(missing->status == 404);
    CHECK(error_of(missing)["code"] == "not_found");
}
