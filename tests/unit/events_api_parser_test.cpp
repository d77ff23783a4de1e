#include "handlers/ingress/events_api_parser.h"

#include <catch2/catch.hpp>

#include <limits>

using namespace pheu::handlers;
using nlohmann::json;

namespace {

// 2026-12-01, after every event the tests send.
constexpr std::int64_t k_now = 1'796'083'200'000;

json purchase(const std::string& id) {
    return {{"event_id", id},
            {"type", "purchase"},
            {"occurred_at", "2026-11-01T10:00:00+07:00"},
            {"customer", {{"phone", "0912345678"}, {"name", "Lan"}}},
            {"properties",
             {{"order_id", "A-1"},
              {"total", 699000},
              {"items", {{{"sku", "SKU1"}, {"name", "Áo"}, {"category", "ao"}, {"price", 699000}, {"quantity", 1}}}}}}};
}

std::string error_path(const json& body) {
    const auto result = parse_events_request(body, k_now);
    REQUIRE(result.error.has_value());
    CHECK(result.events.empty());
    return result.error->path;
}

} // namespace

TEST_CASE("events API accepts one event or a batch", "[unit][events_api]") {
    const auto single = parse_events_request(purchase("e1"), k_now);
    REQUIRE_FALSE(single.error.has_value());
    REQUIRE(single.events.size() == 1);
    const auto& event = single.events[0].event;
    CHECK(event.source == pheu::bot::EventSource::events_api);
    CHECK(event.kind == "purchase");
    CHECK(event.interaction);
    CHECK(event.customer.phone == "84912345678");
    CHECK(event.customer.name == "Lan");
    CHECK(event.occurred_at_ms == 1793502000000);
    CHECK(event.dedupe_key == "events:e1");
    CHECK(event.content["order_id"] == "A-1");

    const auto batch = parse_events_request(json{{"events", {purchase("e1"), purchase("e2")}}}, k_now);
    REQUIRE_FALSE(batch.error.has_value());
    CHECK(batch.events.size() == 2);
}

TEST_CASE("events API occurred_at is RFC 3339 or epoch milliseconds", "[unit][events_api]") {
    json event = purchase("e1");
    event["occurred_at"] = 1793502000000;
    CHECK(parse_events_request(event, k_now).events.at(0).event.occurred_at_ms == 1793502000000);
    event["occurred_at"] = "last tuesday";
    CHECK(error_path(event) == "/occurred_at");
    event.erase("occurred_at");
    CHECK(error_path(event) == "/occurred_at");
}

TEST_CASE("events API names the first bad field by JSON pointer", "[unit][events_api]") {
    json bad_total = purchase("e2");
    bad_total["properties"]["total"] = "a lot";
    CHECK(error_path(json{{"events", {purchase("e1"), bad_total}}}) == "/events/1/properties/total");

    json missing_order = purchase("e1");
    missing_order["properties"].erase("order_id");
    CHECK(error_path(missing_order) == "/properties/order_id");

    json bad_item = purchase("e1");
    bad_item["properties"]["items"][0]["quantity"] = 0;
    CHECK(error_path(bad_item) == "/properties/items/0/quantity");

    json bad_phone = purchase("e1");
    bad_phone["customer"]["phone"] = "12";
    CHECK(error_path(bad_phone) == "/customer/phone");

    json no_identity = purchase("e1");
    no_identity["customer"] = {{"name", "Lan"}};
    CHECK(error_path(no_identity) == "/customer");

    json no_customer = purchase("e1");
    no_customer.erase("customer");
    CHECK(error_path(no_customer) == "/customer");

    json bad_type = purchase("e1");
    bad_type["type"] = "teleport";
    CHECK(error_path(bad_type) == "/type");

    json no_id = purchase("e1");
    no_id.erase("event_id");
    CHECK(error_path(no_id) == "/event_id");

    CHECK(error_path(json{{"events", {purchase("e1"), 42}}}) == "/events/1");
    CHECK(error_path(json{{"events", json::array()}}) == "/events");
    CHECK(error_path(json{{"events", "x"}}) == "/events");
    CHECK(parse_events_request(json::array(), k_now).error->code == "invalid_body");
}

TEST_CASE("events API required properties by type", "[unit][events_api]") {
    const auto path_for = [](const std::string& type, json properties) {
        json event = {{"event_id", "e"},
                      {"type", type},
                      {"occurred_at", 1},
                      {"customer", {{"external_id", "x"}}},
                      {"properties", std::move(properties)}};
        const auto result = parse_events_request(event, k_now);
        return result.error ? result.error->path : std::string("ok");
    };
    CHECK(path_for("game_played", json::object()) == "/properties/game_id");
    CHECK(path_for("game_played", {{"game_id", "wheel"}, {"prize", "VOUCHER50"}}) == "ok");
    CHECK(path_for("product_viewed", json::object()) == "/properties/sku");
    CHECK(path_for("order_cancelled", json::object()) == "/properties/order_id");
    CHECK(path_for("cart_updated", json::object()) == "ok");
    CHECK(path_for("cart_updated", {{"items", "none"}}) == "/properties/items");
    CHECK(path_for("form_submitted", {{"fields", {{"size", "M"}}}}) == "ok");
    CHECK(path_for("form_submitted", {{"fields", "M"}}) == "/properties/fields");
    CHECK(path_for("purchase", {{"order_id", 77}, {"total", 0}}) == "ok");
}

TEST_CASE("events API refuses more than 1000 events", "[unit][events_api]") {
    json events = json::array();
    for (int i = 0; i < 1001; ++i) {
        events.push_back(purchase("e" + std::to_string(i)));
    }
    const auto result = parse_events_request(json{{"events", events}}, k_now);
    REQUIRE(result.error.has_value());
    CHECK(result.error->code == "too_many_events");
    events.erase(events.end() - 1);
    CHECK_FALSE(parse_events_request(json{{"events", events}}, k_now).error.has_value());
}

TEST_CASE("an event dated more than 10 minutes ahead is refused with its path", "[unit][events_api]") {
    json event = purchase("future");
    event["occurred_at"] = k_now + 11 * 60 * 1000;
    auto result = parse_events_request(event, k_now);
    REQUIRE(result.error.has_value());
    CHECK(result.error->path == "/occurred_at");
    CHECK(result.events.empty());
    // A till clock a few minutes fast is fine.
    event["occurred_at"] = k_now + 9 * 60 * 1000;
    CHECK_FALSE(parse_events_request(event, k_now).error.has_value());
    // In a batch, the path names the event.
    json late = purchase("a-year-ahead");
    late["occurred_at"] = "2027-12-01T10:00:00+07:00";
    result = parse_events_request(json{{"events", {purchase("ok"), late}}}, k_now);
    REQUIRE(result.error.has_value());
    CHECK(result.error->path == "/events/1/occurred_at");
}

TEST_CASE("money is bounded at the door, and a null name is no name", "[unit][events_api]") {
    const auto path_of_total = [](json total) {
        json event = purchase("money");
        event["properties"]["total"] = std::move(total);
        const auto result = parse_events_request(event, k_now);
        return result.error ? result.error->path : std::string("ok");
    };
    CHECK(path_of_total(10'000'000'000'000) == "ok");
    CHECK(path_of_total(10'000'000'000'001) == "/properties/total");
    CHECK(path_of_total(5'000'000'000'000'000'000) == "/properties/total");
    CHECK(path_of_total(std::numeric_limits<std::int64_t>::max()) == "/properties/total");
    CHECK(path_of_total(std::numeric_limits<std::uint64_t>::max()) == "/properties/total");
    CHECK(path_of_total(-1) == "/properties/total");

    json item_event = purchase("items");
    item_event["properties"]["items"] = json::array({{{"sku", "A"}, {"price", 1000}, {"quantity", 1'000'000}}});
    REQUIRE(parse_events_request(item_event, k_now).error.has_value());
    CHECK(parse_events_request(item_event, k_now).error->path == "/properties/items/0/quantity");

    json unnamed = purchase("unnamed");
    unnamed["customer"]["name"] = nullptr;
    const auto result = parse_events_request(unnamed, k_now);
    REQUIRE_FALSE(result.error.has_value());
    CHECK(result.events.at(0).event.customer.name.empty());
}
