// The shop's outbound webhooks through the real server and a local receiver: registered in
// the admin API, written with the change they tell of, signed as Standard Webhooks
// specifies, tried again after a failure with the same webhook-id, and visible with their
// attempts.
#include "bot/delivery/outbound_webhooks.h"
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <mutex>
#include <thread>
#include <vector>

using namespace pheu::testing;
using nlohmann::json;

namespace {

// The shop's own system: records what pheu posts, and answers 500 to the first `failures`.
class Receiver {
public:
    struct Received {
        std::string id;
        std::string timestamp;
        std::string signature;
        std::string body;
    };

    explicit Receiver(int failures) : m_failures(failures) {
        m_server.Post("/hooks", [this](const httplib::Request& request, httplib::Response& response) {
            std::lock_guard lock(m_mutex);
            m_received.push_back({request.get_header_value("webhook-id"), request.get_header_value("webhook-timestamp"),
                                  request.get_header_value("webhook-signature"), request.body});
            response.status = m_failures-- > 0 ? 500 : 204;
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~Receiver() {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/hooks"; }
    std::vector<Received> received() const {
        std::lock_guard lock(m_mutex);
        return m_received;
    }
    // What arrived of one event type.
    std::vector<Received> of(const std::string& type) const {
        std::vector<Received> found;
        for (const auto& item : received()) {
            if (json::parse(item.body)["type"] == type) {
                found.push_back(item);
            }
        }
        return found;
    }

private:
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    mutable std::mutex m_mutex;
    std::vector<Received> m_received;
    int m_failures;
};

} // namespace

TEST_CASE("a stage change, a voucher and an opt-out reach the shop's endpoint, signed, retried after a failure",
          "[integration][webhooks]") {
    Receiver receiver(1);
    Shop shop;
    advance_to_local_hour(shop.clock, 10);
    const auto [status, endpoint] =
        shop.admin_send("POST", "/api/v1/webhooks",
                        {{"url", receiver.url()},
                         {"events", {"customer.stage_changed", "voucher.issued", "customer.opted_out"}},
                         {"description", "CRM của shop"}});
    INFO(endpoint.dump());
    REQUIRE(status == 201);
    const std::string secret = endpoint["secret"];
    CHECK(secret.rfind("whsec_", 0) == 0);

    // A first purchase makes a new customer: the stage change is owed to the endpoint.
    shop.send_events({shop.purchase("wh-1", {{"zalo_user_id", "z-linh"}, {"name", "Linh"}}, 0)});
    const std::string linh = shop.customer_by("zalo_user_id=z-linh")["id"];
    REQUIRE(eventually([&] { return !receiver.of("customer.stage_changed").empty(); }));
    // The receiver answered 500: the delivery waits 5 s (the shop's clock), then comes again.
    shop.clock.advance_days(6.0 / 86400);
    REQUIRE(eventually([&] { return receiver.of("customer.stage_changed").size() >= 2; }));
    const auto attempts = receiver.of("customer.stage_changed");
    CHECK(attempts[0].id == attempts[1].id); // the same webhook-id: the receiver can drop a repeat
    for (const auto& attempt : attempts) {
        CHECK(pheu::bot::standard_webhook_signature(secret, attempt.id, std::stoll(attempt.timestamp), attempt.body) ==
              attempt.signature);
    }
    const json change = json::parse(attempts[1].body);
    CHECK(change["data"]["customer_id"] == linh);
    CHECK(change["data"]["to"] == "new_customer");
    CHECK(change["timestamp"].get<std::string>().size() == 24);
    CHECK(attempts[1].body.find("Linh") == std::string::npos); // ids, never names

    // The endpoint's deliveries, as the console shows them.
    REQUIRE(eventually([&] {
        const json page = shop.admin_get("/api/v1/webhooks/" + endpoint["id"].get<std::string>() + "/deliveries");
        for (const auto& delivery : page["items"]) {
            if (delivery["event_type"] == "customer.stage_changed" && delivery["status"] == "delivered") {
                return delivery["attempts"] == 2 && delivery["last_status"] == 204;
            }
        }
        return false;
    }));

    // A shopper who opts out is told of too; a message failing is not subscribed, so not sent.
    shop.send_zalo(zalo_text_body("z-linh", "dung", "linh-1", shop.clock.now()));
    shop.send_zalo(zalo_text_body("z-linh", "dung", "linh-2", shop.clock.now()));
    REQUIRE(eventually([&] { return receiver.of("customer.opted_out").size() == 1; }));
    CHECK(json::parse(receiver.of("customer.opted_out")[0].body)["data"]["customer_id"] == linh);
    CHECK(receiver.of("message.failed").empty());

    const json listed = shop.admin_get("/api/v1/webhooks");
    REQUIRE(listed["items"].size() == 1);
    CHECK(listed["items"][0]["deliveries"]["failed"] == 0);
    CHECK(listed["items"][0]["events"].size() == 3);
}

TEST_CASE("webhook endpoints are checked, listed and removed", "[integration][webhooks]") {
    Shop shop;
    CHECK(shop.admin_send("POST", "/api/v1/webhooks", {{"url", "ftp://shop"}, {"events", {"voucher.issued"}}})
              .second["error"]["path"] == "/url");
    CHECK(shop.admin_send("POST", "/api/v1/webhooks", {{"url", "https://shop.example/h"}, {"events", json::array()}})
              .second["error"]["path"] == "/events");
    CHECK(shop.admin_send("POST", "/api/v1/webhooks",
                          {{"url", "https://shop.example/h"}, {"events", {"voucher.issued", "order.shipped"}}})
              .second["error"]["path"] == "/events/1");
    const auto [status, endpoint] = shop.admin_send(
        "POST", "/api/v1/webhooks", {{"url", "https://shop.example/h"}, {"events", {"message.failed"}}});
    REQUIRE(status == 201);
    CHECK(shop.admin_get("/api/v1/webhooks")["items"].size() == 1);
    CHECK(shop.admin_send("DELETE", "/api/v1/webhooks/" + endpoint["id"].get<std::string>(), json::object()).first ==
          204);
    CHECK(shop.admin_send("DELETE", "/api/v1/webhooks/" + endpoint["id"].get<std::string>(), json::object()).first ==
          404);
    CHECK(shop.admin_get("/api/v1/webhooks/999/deliveries", 404)["error"]["code"] == "not_found");
}
