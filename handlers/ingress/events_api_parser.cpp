#include "handlers/ingress/events_api_parser.h"

#include "handlers/ingress/event_time.h"

#include "common/phone.h"
#include "common/time_format.h"

#include <array>
#include <string_view>

namespace pheu::handlers {

using nlohmann::json;

namespace {

// Stops at the first bad field; caught in this file, never escapes.
[[noreturn]] void fail(const std::string& path, const std::string& message, const std::string& code = "invalid_field") {
    throw common::InputRejected({.code = code, .message = message, .path = path});
}

constexpr std::array k_types = {"purchase",       "game_played",    "cart_updated",
                                "product_viewed", "form_submitted", "order_cancelled"};

// Only the Mini App reports these: it sees the shopper open it and join as a member.
constexpr std::array k_miniapp_types = {"miniapp_opened", "membership_joined"};

bool known_type(const std::string& type, bool from_miniapp) {
    for (std::string_view known : k_types) {
        if (type == known) {
            return true;
        }
    }
    if (from_miniapp) {
        for (std::string_view known : k_miniapp_types) {
            if (type == known) {
                return true;
            }
        }
    }
    return false;
}

// An id given as a non-empty string or an integer, returned as text.
std::string required_id(const json& object, const char* key, const std::string& path) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        fail(path + "/" + key, std::string(key) + " is required");
    }
    if (found->is_string() && !found->get_ref<const std::string&>().empty()) {
        return found->get<std::string>();
    }
    if (found->is_number_integer() || found->is_number_unsigned()) {
        return found->dump();
    }
    fail(path + "/" + key, std::string(key) + " must be a non-empty string");
}

void optional_string(const json& object, const char* key, const std::string& path) {
    auto found = object.find(key);
    if (found != object.end() && !found->is_null() && !found->is_string()) {
        fail(path + "/" + key, std::string(key) + " must be a string");
    }
}

// Money is bounded at the door (0 to 10^13 VND, ten thousand billion): sums of many orders
// stay far inside 64 bits, and a till's typo cannot break the reports.
constexpr std::int64_t k_max_money_vnd = 10'000'000'000'000;
// price × quantity stays bounded too.
constexpr std::int64_t k_max_quantity = 100'000;

void optional_count(const json& object, const char* key, const std::string& path, std::int64_t minimum,
                    std::int64_t maximum) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return;
    }
    const bool whole = found->is_number_integer() || found->is_number_unsigned();
    // An unsigned value above the int64 range is out of bounds before it is converted.
    const bool in_range =
        whole && !(found->is_number_unsigned() && found->get<std::uint64_t>() > static_cast<std::uint64_t>(maximum)) &&
        found->get<std::int64_t>() >= minimum && found->get<std::int64_t>() <= maximum;
    if (!in_range) {
        fail(path + "/" + key, std::string(key) + " must be a whole number from " + std::to_string(minimum) + " to " +
                                   std::to_string(maximum));
    }
}

void validate_items(const json& properties, const std::string& path) {
    auto items = properties.find("items");
    if (items == properties.end() || items->is_null()) {
        return;
    }
    if (!items->is_array()) {
        fail(path + "/items", "items must be an array");
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string item_path = path + "/items/" + std::to_string(i);
        const json& item = (*items)[i];
        if (!item.is_object()) {
            fail(item_path, "each item must be an object");
        }
        for (const char* key : {"sku", "name", "category"}) {
            optional_string(item, key, item_path);
        }
        optional_count(item, "price", item_path, 0, k_max_money_vnd);
        optional_count(item, "quantity", item_path, 1, k_max_quantity);
    }
}

std::int64_t parse_event_time(const json& event, const std::string& path) {
    auto found = event.find("occurred_at");
    if (found == event.end() || found->is_null()) {
        fail(path + "/occurred_at", "occurred_at is required (RFC 3339 or epoch milliseconds)");
    }
    if (found->is_number_integer() || found->is_number_unsigned()) {
        const auto value = found->get<std::int64_t>();
        if (value > 0) {
            return value;
        }
    } else if (found->is_string()) {
        if (auto parsed = common::parse_rfc3339_ms(found->get_ref<const std::string&>())) {
            return *parsed;
        }
    }
    fail(path + "/occurred_at", "occurred_at must be an RFC 3339 time or epoch milliseconds");
}

std::int64_t parse_occurred_at(const json& event, const std::string& path, std::int64_t now_ms) {
    const std::int64_t at = parse_event_time(event, path);
    // See event_time.h: a shop's system is told, and can send the event again.
    if (at > now_ms + k_future_tolerance_ms) {
        fail(path + "/occurred_at",
             "occurred_at is more than 10 minutes in the future: events are sent once they happen");
    }
    return at;
}

bot::CustomerRef parse_customer(const json& event, const std::string& path) {
    auto found = event.find("customer");
    if (found == event.end() || !found->is_object()) {
        fail(path + "/customer", "customer must be an object naming at least one identity");
    }
    const json& customer = *found;
    const std::string customer_path = path + "/customer";
    bot::CustomerRef ref;
    auto read = [&](const char* key, std::string& out) {
        auto value = customer.find(key);
        if (value == customer.end() || value->is_null()) {
            return;
        }
        if (value->is_string()) {
            out = value->get<std::string>();
        } else if (value->is_number_integer() || value->is_number_unsigned()) {
            out = value->dump();
        } else {
            fail(customer_path + "/" + key, std::string(key) + " must be a string");
        }
    };
    read("zalo_user_id", ref.zalo_user_id);
    read("zalo_app_user_id", ref.zalo_app_user_id);
    read("messenger_psid", ref.messenger_psid);
    read("external_id", ref.external_id);
    std::string phone;
    read("phone", phone);
    if (!phone.empty()) {
        auto normalised = common::normalise_phone(phone);
        if (!normalised) {
            fail(customer_path + "/phone", "phone must be a Vietnamese number such as 0912345678 or +84912345678");
        }
        ref.phone = *normalised;
    }
    optional_string(customer, "name", customer_path);
    read("name", ref.name); // null, like absent, is no name
    if (ref.empty()) {
        fail(customer_path,
             "customer must name at least one of zalo_user_id, zalo_app_user_id, messenger_psid, phone, external_id");
    }
    return ref;
}

json validate_properties(const std::string& type, const json& event, const std::string& path) {
    json properties = json::object();
    if (auto found = event.find("properties"); found != event.end() && !found->is_null()) {
        if (!found->is_object()) {
            fail(path + "/properties", "properties must be an object");
        }
        properties = *found;
    }
    const std::string props_path = path + "/properties";
    if (type == "purchase") {
        properties["order_id"] = required_id(properties, "order_id", props_path);
        if (!properties.contains("total")) {
            fail(props_path + "/total", "total is required (whole VND)");
        }
        optional_count(properties, "total", props_path, 0, k_max_money_vnd);
        validate_items(properties, props_path);
        optional_string(properties, "voucher_code", props_path);
    } else if (type == "order_cancelled") {
        properties["order_id"] = required_id(properties, "order_id", props_path);
    } else if (type == "game_played") {
        properties["game_id"] = required_id(properties, "game_id", props_path);
        optional_string(properties, "result", props_path);
    } else if (type == "product_viewed") {
        properties["sku"] = required_id(properties, "sku", props_path);
    } else if (type == "cart_updated") {
        optional_string(properties, "cart_id", props_path);
        optional_string(properties, "cart_url", props_path);
        validate_items(properties, props_path);
    } else if (type == "form_submitted") {
        optional_string(properties, "form_id", props_path);
        if (auto fields = properties.find("fields");
            fields != properties.end() && !fields->is_null() && !fields->is_object()) {
            fail(props_path + "/fields", "fields must be an object");
        }
    }
    return properties;
}

bot::InboundEvent parse_one(const json& event, const std::string& path, const bot::CustomerRef* shopper,
                            std::int64_t now_ms) {
    if (!event.is_object()) {
        fail(path.empty() ? "" : path, "an event must be a JSON object");
    }
    if (shopper != nullptr && event.contains("customer")) {
        fail(path + "/customer", "the customer is the shopper Zalo verified from the access token: leave customer out",
             "customer_not_allowed");
    }
    const std::string event_id = required_id(event, "event_id", path);
    auto type_field = event.find("type");
    if (type_field == event.end() || !type_field->is_string()) {
        fail(path + "/type", "type is required");
    }
    const std::string type = type_field->get<std::string>();
    if (!known_type(type, shopper != nullptr)) {
        fail(path + "/type",
             "unknown type \"" + type +
                 "\" (one of purchase, game_played, cart_updated, product_viewed, form_submitted, order_cancelled" +
                 (shopper != nullptr ? ", miniapp_opened, membership_joined)" : ")"));
    }
    bot::InboundEvent normalised;
    normalised.source = shopper != nullptr ? bot::EventSource::miniapp : bot::EventSource::events_api;
    normalised.name = type;
    normalised.kind = type;
    normalised.occurred_at_ms = parse_occurred_at(event, path, now_ms);
    normalised.customer = shopper != nullptr ? *shopper : parse_customer(event, path);
    normalised.content = validate_properties(type, event, path);
    normalised.content["event_id"] = event_id;
    normalised.interaction = type != "order_cancelled";
    // A Mini App's event ids come from the client: scoped to the shopper, one shopper's ids
    // can never drop another's events as duplicates.
    normalised.dedupe_key =
        shopper != nullptr ? "miniapp:" + shopper->zalo_app_user_id + ":" + event_id : "events:" + event_id;
    return normalised;
}

EventsParseResult parse_request(const json& body, const bot::CustomerRef* shopper, std::int64_t now_ms) {
    EventsParseResult result;
    try {
        if (!body.is_object()) {
            fail("", "the body must be a JSON object: one event, or {\"events\":[…]}", "invalid_body");
        }
        auto batch = body.find("events");
        if (batch == body.end()) {
            result.events.push_back(ParsedEvent{parse_one(body, "", shopper, now_ms), body.dump()});
            return result;
        }
        if (!batch->is_array()) {
            fail("/events", "events must be an array");
        }
        if (batch->empty()) {
            fail("/events", "events must hold at least one event");
        }
        if (batch->size() > k_max_events_per_request) {
            fail("/events", "at most " + std::to_string(k_max_events_per_request) + " events per request",
                 "too_many_events");
        }
        result.events.reserve(batch->size());
        for (std::size_t i = 0; i < batch->size(); ++i) {
            result.events.push_back(ParsedEvent{parse_one((*batch)[i], "/events/" + std::to_string(i), shopper, now_ms),
                                                (*batch)[i].dump()});
        }
    } catch (const common::InputRejected& rejected) {
        result.events.clear();
        result.error = rejected.error();
    }
    return result;
}

} // namespace

EventsParseResult parse_events_request(const json& body, std::int64_t now_ms) {
    return parse_request(body, nullptr, now_ms);
}

EventsParseResult parse_miniapp_events_request(const json& body, const bot::CustomerRef& shopper, std::int64_t now_ms) {
    return parse_request(body, &shopper, now_ms);
}

} // namespace pheu::handlers
