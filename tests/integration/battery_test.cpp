// The reliability battery's fast half (issue 9), through the real server over HTTP:
// forgeries at volume, redelivery (repeated, out of order, parallel, across a restart) and
// hostile bodies. The long runs (50 kill -9, slow clients, fuzzing) live in bench/battery/.
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>
#include <limits>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <thread>

using namespace pheu::testing;
using nlohmann::json;

namespace {

constexpr const char* k_timestamp = "1795428900000";

std::string text_body(const std::string& msg_id, const std::string& text,
                      const std::string& user = "8958041078911298472", const std::string& timestamp = k_timestamp) {
    return json{{"app_id", "app-1"},
                {"sender", {{"id", user}}},
                {"recipient", {{"id", "oa-1"}}},
                {"event_name", "user_send_text"},
                {"message", {{"text", text}, {"msg_id", msg_id}}},
                {"timestamp", timestamp}}
        .dump();
}

int post(httplib::Client& client, const std::string& body, const std::string& signature,
         const std::string& path = "/webhooks/zalo") {
    httplib::Headers headers;
    if (!signature.empty()) {
        headers.emplace("X-ZEvent-Signature", signature);
    }
    auto result = client.Post(path.c_str(), headers, body, "application/json");
    return result ? result->status : -1;
}

std::string good_signature(const std::string& body, const std::string& timestamp = k_timestamp) {
    return zalo_signature_for(body, "app-1", timestamp, "oa-secret-1");
}

} // namespace

TEST_CASE("10,000 forged Zalo requests are all refused and store nothing, while every text form is accepted",
          "[integration][battery]") {
    TestServer server([](pheu::bot::Config& config) { config.worker_enabled = false; });
    auto client = server.client();
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true); // without it each keep-alive request waits ~40 ms for a delayed ACK
    std::mt19937 random(9);
    const std::vector<std::function<std::pair<std::string, std::string>(int)>> forgeries = {
        [](int i) { // a wrong mac
            const std::string body = text_body("f" + std::to_string(i), "Chào shop");
            return std::pair{body, "mac=" + std::string(64, "0123456789abcdef"[i % 16])};
        },
        [](int i) { // no signature at all
            return std::pair{text_body("f" + std::to_string(i), "Chào shop"), std::string()};
        },
        [](int i) { // a truncated signature
            const std::string body = text_body("f" + std::to_string(i), "Chào shop");
            return std::pair{body, good_signature(body).substr(0, 4 + static_cast<std::size_t>(i % 60))};
        },
        [](int i) { // signed with the other account's key
            const std::string body = text_body("f" + std::to_string(i), "Chào shop");
            return std::pair{body, zalo_signature_for(body, "app-1", k_timestamp, "oa-secret-2")};
        },
        [&random](int i) { // one byte of the body flipped after signing
            std::string body = text_body("f" + std::to_string(i), "Shop ơi còn áo size M không?");
            const std::string signature = good_signature(body);
            const std::size_t at = random() % body.size();
            body[at] = static_cast<char>(body[at] ^ (1 << (i % 7)));
            return std::pair{body, signature};
        },
        [](int i) { // mac= variants: the last digit changed, no prefix, a space inside, another prefix
            // (the same digits in upper case are the same MAC, not a forgery: pheu accepts them)
            const std::string body = text_body("f" + std::to_string(i), "Chào shop");
            std::string mac = good_signature(body).substr(4);
            switch (i % 4) {
            case 0:
                mac.back() = mac.back() == '0' ? '1' : '0';
                return std::pair{body, "mac=" + mac};
            case 1:
                return std::pair{body, mac + "0"};
            case 2:
                return std::pair{body, "mac= " + mac.substr(1)};
            default:
                return std::pair{body, "sha=" + mac};
            }
        },
        [](int i) { // the timestamp changed after signing
            const std::string body = text_body("f" + std::to_string(i), "Chào shop");
            std::string changed = body;
            changed.replace(changed.find(k_timestamp), 13, "1795428900001");
            return std::pair{changed, good_signature(body)};
        },
    };
    std::map<int, int> statuses;
    for (int i = 0; i < 10000; ++i) {
        const auto [body, signature] = forgeries[static_cast<std::size_t>(i) % forgeries.size()](i);
        ++statuses[post(client, body, signature)];
    }
    INFO("statuses: " << json(statuses).dump());
    // Refused: 401 for a signature that does not match, or 400 where the flipped byte broke
    // the JSON itself (the account cannot even be read then). Nothing is stored either way.
    CHECK(statuses[401] + statuses[400] == 10000);
    CHECK(statuses[401] >= 9000);
    CHECK(server.inbox_total() == 0);

    // Authentic bodies in every text form are all accepted.
    const std::vector<std::string> texts = {
        "Khuyến mãi",                         // NFC
        "Khuye\u0302\u0301n ma\u0303i",       // NFD: combining marks
        "Đặt hàng 🛍️🎉 nhé shop", // emoji
        "Giá \u0111\u1eb9p qu\u00e1 \\u0111", // literal backslash-u text too
    };
    int accepted = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string body = text_body("ok" + std::to_string(i), texts[i]);
        accepted += post(client, body, good_signature(body)) == 200;
        // The same event with its text as \u escapes (ASCII-only JSON) is signed as sent.
        const std::string escaped = json::parse(body).dump(-1, ' ', /*ensure_ascii=*/true);
        const std::string escaped_body = text_body("esc" + std::to_string(i), "x");
        std::string as_sent = escaped;
        as_sent.replace(as_sent.find("\"ok" + std::to_string(i) + "\""), 4 + std::to_string(i).size(),
                        "\"esc" + std::to_string(i) + "\"");
        accepted += post(client, as_sent, good_signature(as_sent)) == 200;
    }
    CHECK(accepted == 8);
    CHECK(server.inbox_total() == 8);
}

TEST_CASE("events redelivered 1-6 times, out of order, in parallel and across a restart have one effect each",
          "[integration][battery]") {
    auto server = std::make_unique<TestServer>();
    const std::string database = server->database();
    constexpr int k_events = 200;
    // Written now, so they are answered (a chat message days old gets no reply).
    const std::string now = std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    std::vector<std::string> bodies;
    for (int i = 0; i < k_events; ++i) {
        bodies.push_back(text_body("redeliver-" + std::to_string(i), "có mã giảm giá không shop",
                                   "77000000000000" + std::to_string(1000 + i), now));
    }
    std::mt19937 random(42);
    std::vector<int> deliveries;
    for (int i = 0; i < k_events; ++i) {
        const int copies = 1 + static_cast<int>(random() % 6);
        for (int c = 0; c < copies; ++c) {
            deliveries.push_back(i);
        }
    }
    std::shuffle(deliveries.begin(), deliveries.end(), random);
    const std::size_t half = deliveries.size() / 2;
    std::atomic<int> not_ok{0};
    // Two copies of each delivery on two parallel connections, within milliseconds.
    auto deliver = [&](TestServer& target, std::size_t from, std::size_t to) {
        std::vector<std::thread> lanes;
        for (int lane = 0; lane < 2; ++lane) {
            lanes.emplace_back([&, lane] {
                auto client = target.client();
                client.set_keep_alive(true);
                client.set_tcp_nodelay(true); // without it each keep-alive request waits ~40 ms for a delayed ACK
                for (std::size_t d = from; d < to; ++d) {
                    const std::string& body = bodies[static_cast<std::size_t>(deliveries[d])];
                    if (post(client, body, good_signature(body, now)) != 200) {
                        ++not_ok;
                    }
                }
                (void)lane;
            });
        }
        for (auto& lane : lanes) {
            lane.join();
        }
    };
    deliver(*server, 0, half);
    server->stop(); // a restart in between: the second half are copies the first run saw
    TestServer restarted([&](pheu::bot::Config& config) { config.database = database; });
    deliver(restarted, half, deliveries.size());
    REQUIRE(restarted.wait_until_processed());
    CHECK(not_ok == 0);
    CHECK(restarted.inbox_total() == k_events);
    CHECK(restarted.inbox_count("processed") == k_events);
    // One customer per sender, one reply per asking (the outbox's idempotency keys).
    CHECK(query_int(database, "SELECT count(*) FROM customers") == k_events);
    CHECK(query_int(database, "SELECT count(*) FROM (SELECT customer_id, trigger FROM outbox WHERE kind = 'message' "
                              "GROUP BY customer_id, trigger HAVING count(*) > 1) AS repeated") == 0);
    INFO("outbox: " << query_int(database, "SELECT count(*) FROM outbox") << " rows, messages "
                    << query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message'") << ", skipped "
                    << query_int(database, "SELECT count(*) FROM outbox WHERE status = 'skipped'"));
    // Every sender got the same answer however many copies of its event arrived: as many
    // messages each (a copy processed twice would add some), and every sender got some.
    CHECK(query_int(database, "SELECT count(DISTINCT customer_id) FROM outbox WHERE kind = 'message'") == k_events);
    CHECK(query_int(database, "SELECT count(DISTINCT n) FROM (SELECT count(*) AS n FROM outbox "
                              "WHERE kind = 'message' GROUP BY customer_id) AS per_customer") == 1);
}

// Memory growth is measured by bench/battery/hostile.py against the Release binary: under
// ASan, freed memory sits in the sanitizer's quarantine and RSS says nothing about leaks.
TEST_CASE("hostile bodies are answered 4xx at once and never crash the server", "[integration][battery]") {
    TestServer server([](pheu::bot::Config& config) { config.worker_enabled = false; });
    auto client = server.client();
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);  // without it each keep-alive request waits ~40 ms for a delayed ACK
    client.set_read_timeout(2, 0); // every answer within 2 s, or the post counts as failed
    std::mt19937 random(3);
    const std::string nested(100000, '[');
    const std::string valid = text_body("hostile", "Chào shop");
    std::vector<std::string> hostile = {
        "",
        std::string("\xff\xfe\xfd", 3),
        std::string("{\"app_id\":\"app-1\",\"event_name\":\"user_send_text\x00\"}", 47),
        valid.substr(0, valid.size() / 2),
        nested,
        "{\"a\":" + nested,
        "{\"app_id\":\"app-1\",\"timestamp\":1" + std::string(5000, '9') + ",\"event_name\":\"follow\"}",
        "{\"app_id\":\"app-1\",\"app_id\":\"app-2\",\"event_name\":\"follow\",\"timestamp\":\"1\"}",
        // Over the test server's 64 KiB limit but under twice it: read, discarded, answered 413.
        // (Bodies of megabytes are refused unread: bench/battery/hostile.py sends those.)
        "{\"app_id\":\"app-1\",\"event_name\":\"user_send_text\",\"message\":{\"text\":\"" + std::string(90000, 'a') +
            "\"},\"timestamp\":\"1\"}",
        "{\"app_id\":\"app-1\",\"event_name\":\"user_send_text\",\"message\":{\"text\":\"\xc3\x28\"},\"timestamp\":"
        "\"1\"}",
        "{\"app_id\":\"app-1\",\"event_name\":\"user_send_text\",\"sender\":{\"id\":{\"id\":[1,2]}},\"message\":[],"
        "\"timestamp\":\"1\"}",
        "{\"app_id\":\"app-1\",\"event_name\":123,\"timestamp\":\"1\"}",
        "[1,2,3]",
        "null",
        "{\"app_id\":\"app-1\",\"event_name\":\"follow\",\"timestamp\":1e400}",
    };
    // Random bytes and random truncations of a valid body complete the corpus.
    for (int i = 0; i < 1500; ++i) {
        std::string bytes(static_cast<std::size_t>(random() % 600), '\0');
        for (auto& b : bytes) {
            b = static_cast<char>(random() % 256);
        }
        hostile.push_back(bytes);
        hostile.push_back(valid.substr(0, static_cast<std::size_t>(random()) % valid.size()));
    }
    std::map<int, int> statuses;
    int over_two_seconds = 0;
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        const std::string& body = hostile[i];
        const auto started = std::chrono::steady_clock::now();
        // Half are signed correctly, so they reach the parser behind the signature check.
        const int status = post(client, body, i % 2 == 0 ? good_signature(body) : "mac=0");
        over_two_seconds += std::chrono::steady_clock::now() - started > std::chrono::seconds(2);
        ++statuses[status];
        const int events_status = post(client, body, "", "/api/v1/events");
        ++statuses[events_status];
    }
    INFO("statuses: " << json(statuses).dump());
    int not_4xx = 0;
    for (const auto& [status, count] : statuses) {
        if (status < 400 || status >= 500) {
            not_4xx += count;
        }
    }
    // A signed, well-formed fragment may be a real event (200); nothing else may pass.
    CHECK(not_4xx == statuses[200]);
    CHECK(statuses[-1] == 0);
    CHECK(statuses[500] == 0);
    CHECK(over_two_seconds == 0);
    CHECK(post(client, valid, good_signature(valid)) == 200); // still serving
}

TEST_CASE(
    "every field of every event type, given every JSON type, is answered without a 500, and so is the console after",
    "[integration][battery]") {
    TestServer server;
    auto client = server.client();
    const json customer = {{"phone", "0912345678"},
                           {"name", "Lan"},
                           {"external_id", "pos-1"},
                           {"zalo_user_id", "z-1"},
                           {"messenger_psid", "p-1"}};
    const std::vector<json> bases = {
        {{"type", "purchase"},
         {"properties",
          {{"order_id", "o-1"},
           {"total", 250000},
           {"voucher_code", "ABC123"},
           {"items", {{{"sku", "AO-1"}, {"name", "Áo"}, {"category", "ao"}, {"price", 250000}, {"quantity", 1}}}}}}},
        {{"type", "game_played"}, {"properties", {{"game_id", "g-1"}, {"result", "win"}}}},
        {{"type", "cart_updated"},
         {"properties",
          {{"cart_id", "c-1"},
           {"cart_url", "https://shop.vn/c"},
           {"total", 1},
           {"items", {{{"sku", "AO-1"}, {"quantity", 2}}}}}}},
        {{"type", "product_viewed"}, {"properties", {{"sku", "AO-1"}}}},
        {{"type", "form_submitted"}, {"properties", {{"form_id", "f-1"}, {"fields", {{"phone", "0912345678"}}}}}},
        {{"type", "order_cancelled"}, {"properties", {{"order_id", "o-1"}}}},
    };
    const std::vector<json> values = {nullptr,
                                      true,
                                      0,
                                      -1,
                                      1.5,
                                      1e300,
                                      "",
                                      "x",
                                      json::array(),
                                      json::object(),
                                      std::numeric_limits<std::int64_t>::max(),
                                      std::numeric_limits<std::uint64_t>::max(),
                                      std::string(5000, 'a')};
    int sent = 0;
    std::map<int, int> statuses;
    for (const json& base_fields : bases) {
        json base = base_fields;
        base["occurred_at"] = "2026-11-13T10:00:00Z";
        base["customer"] = customer;
        const json flat = base.flatten();
        std::vector<std::string> paths;
        for (const auto& [path, value] : flat.items()) {
            paths.push_back(path);
            // Every object and array on the way to a leaf, too.
            for (auto slash = path.rfind('/'); slash != std::string::npos && slash > 0;
                 slash = path.rfind('/', slash - 1)) {
                paths.push_back(path.substr(0, slash));
            }
        }
        std::sort(paths.begin(), paths.end());
        paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
        for (const std::string& path : paths) {
            for (const json& value : values) {
                json event = base;
                event[json::json_pointer(path)] = value;
                event["event_id"] = "sweep-" + std::to_string(sent++);
                auto answer = client.Post("/api/v1/events", {{"Authorization", "Bearer events-token-for-tests-only"}},
                                          json{{"events", {event}}}.dump(), "application/json");
                REQUIRE(answer);
                INFO(path << " = " << value.dump().substr(0, 40) << " -> " << answer->body);
                CHECK(answer->status != 500);
                ++statuses[answer->status];
            }
        }
    }
    CHECK(sent > 600);
    CHECK(statuses[202] > 0);
    CHECK(statuses[400] > 0);
    REQUIRE(server.wait_until_processed());
    for (const char* path :
         {"/api/v1/customers", "/api/v1/customers/export.csv", "/api/v1/reports/funnel", "/api/v1/messages",
          "/api/v1/vouchers", "/api/v1/customers/1", "/api/v1/customers/1/export"}) {
        INFO(path);
        auto answer = client.Get(path, {{"Authorization", "Bearer admin-token-for-tests-only"}});
        REQUIRE(answer);
        CHECK(answer->status == 200);
    }
}
