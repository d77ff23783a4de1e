#include "tests/support/shop.h"

#include <regex>

#include "common/time_format.h"
#include "tests/support/exchange_log.h"

#include <catch2/catch.hpp>

namespace pheu::testing {

using nlohmann::json;

std::string days_ago(const ShiftedClock& clock, double days) {
    return common::format_rfc3339_utc(clock.now() - static_cast<std::int64_t>(days * static_cast<double>(k_day)));
}

Shop::Shop(const std::function<void(bot::Config&)>& customise)
    : server(
          [&](bot::Config& config) {
              config.scheduler_interval_ms = 50;
              if (customise) {
                  customise(config);
              }
          },
          &clock) {}

json Shop::send_events(const std::vector<json>& events) {
    auto result = server.client().Post("/api/v1/events", {{"Authorization", "Bearer events-token-for-tests-only"}},
                                       json{{"events", json(events)}}.dump(), "application/json");
    record_exchange("POST", "/api/v1/events", result);
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == 202);
    REQUIRE(server.wait_until_processed());
    return json::parse(result->body);
}

json Shop::purchase(const std::string& id, json customer, double days, std::int64_t total, json items) const {
    if (items.is_null()) {
        items = json::array({{{"sku", "AO-1"}, {"category", "ao"}, {"price", total}, {"quantity", 1}}});
    }
    return {{"event_id", id},
            {"type", "purchase"},
            {"occurred_at", days_ago(clock, days)},
            {"customer", std::move(customer)},
            {"properties", {{"order_id", "order-" + id}, {"total", total}, {"items", std::move(items)}}}};
}

httplib::Result post_signed_zalo(httplib::Client& client, const json& body) {
    const std::string text = body.dump();
    const std::string timestamp = body.value("timestamp", std::string());
    auto result = client.Post("/webhooks/zalo",
                              {{"X-ZEvent-Signature", zalo_signature_for(text, "app-1", timestamp, "oa-secret-1")}},
                              text, "application/json");
    record_exchange("POST", "/webhooks/zalo", result);
    return result;
}

void Shop::send_zalo(const json& body) {
    auto client = server.client();
    auto result = post_signed_zalo(client, body);
    REQUIRE(result);
    REQUIRE(result->status == 200);
    REQUIRE(server.wait_until_processed());
}

void Shop::send_messenger(const json& body) {
    const std::string text = body.dump();
    auto result = server.client().Post("/webhooks/messenger",
                                       {{"X-Hub-Signature-256", messenger_signature_for(text, "page-secret-1")}}, text,
                                       "application/json");
    REQUIRE(result);
    REQUIRE(result->status == 200);
    REQUIRE(server.wait_until_processed());
}

json Shop::admin_get(const std::string& path, int expected_status) {
    auto result = server.client().Get(path.c_str(), {{"Authorization", "Bearer admin-token-for-tests-only"}});
    record_exchange("GET", path, result);
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == expected_status);
    return json::parse(result->body);
}

std::pair<int, json> Shop::admin_send(const std::string& method, const std::string& path, const json& body) {
    const httplib::Headers headers = {{"Authorization", "Bearer admin-token-for-tests-only"}};
    auto client = server.client();
    auto result = method == "PUT"      ? client.Put(path.c_str(), headers, body.dump(), "application/json")
                  : method == "DELETE" ? client.Delete(path.c_str(), headers)
                                       : client.Post(path.c_str(), headers, body.dump(), "application/json");
    record_exchange(method, path, result);
    REQUIRE(result);
    INFO(result->body);
    return {result->status, result->body.empty() ? json() : json::parse(result->body)};
}

json Shop::customer_by(const std::string& query) {
    const json page = admin_get("/api/v1/customers?" + query);
    REQUIRE(page["items"].size() == 1);
    return page["items"][0];
}

json Shop::messages_of(const std::string& customer_id) {
    return admin_get("/api/v1/customers/" + customer_id + "/messages")["items"];
}

void advance_to_local_hour(ShiftedClock& clock, int hour) {
    constexpr std::int64_t k_hour = 3600LL * 1000;
    const std::int64_t local_ms_of_day = (clock.now() + 7 * k_hour) % k_day;
    std::int64_t wait = (hour * k_hour - local_ms_of_day + k_day) % k_day;
    clock.advance_days(static_cast<double>(wait) / static_cast<double>(k_day));
}

json follow_body(const std::string& user, std::int64_t at_ms) {
    return {{"app_id", "app-1"},      {"oa_id", "oa-1"},        {"follower", {{"id", user}}},
            {"event_name", "follow"}, {"source", "oa_profile"}, {"timestamp", std::to_string(at_ms)}};
}

json zalo_text_body(const std::string& user, const std::string& text, const std::string& msg_id, std::int64_t at_ms) {
    return {{"app_id", "app-1"},
            {"event_name", "user_send_text"},
            {"sender", {{"id", user}}},
            {"recipient", {{"id", "oa-1"}}},
            {"message", {{"text", text}, {"msg_id", msg_id}}},
            {"timestamp", std::to_string(at_ms)}};
}

json messenger_text_body(const std::string& psid, const std::string& text, const std::string& mid, std::int64_t at_ms) {
    return {{"object", "page"},
            {"entry",
             {{{"id", "page-1"},
               {"time", at_ms},
               {"messaging",
                {{{"sender", {{"id", psid}}},
                  {"recipient", {{"id", "page-1"}}},
                  {"timestamp", at_ms},
                  {"message", {{"mid", mid}, {"text", text}}}}}}}}}};
}

void map_winback_zalo_template(Shop& shop) {
    REQUIRE(shop.admin_send("PUT", "/api/v1/settings/zalo_templates",
                            {{"winback", {{"template_id", "401"}, {"data", {{"code", "{{voucher.code}}"}}}}}})
                .first == 200);
}

std::set<std::string> codes_in(const std::string& text) {
    std::set<std::string> codes;
    static const std::regex candidate("[A-Z0-9][A-Z0-9-]{4,}[A-Z0-9]");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), candidate); it != std::sregex_iterator(); ++it) {
        const std::string code = it->str();
        const bool letters = std::regex_search(code, std::regex("[A-Z]"));
        const bool digits = std::regex_search(code, std::regex("[0-9]"));
        if (letters && digits) {
            codes.insert(code);
        }
    }
    return codes;
}

std::vector<json> with_trigger(const json& messages, const std::string& trigger) {
    std::vector<json> found;
    for (const auto& message : messages) {
        if (message["trigger"] == trigger) {
            found.push_back(message);
        }
    }
    return found;
}

} // namespace pheu::testing
