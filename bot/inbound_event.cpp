#include "bot/inbound_event.h"

#include "bot/json_fields.h"

#include <utility>

namespace pheu::bot {

bool CustomerRef::empty() const {
    return zalo_user_id.empty() && zalo_app_user_id.empty() && zalo_anonymous_id.empty() &&
           messenger_psid.empty() && phone.empty() && external_id.empty();
}

namespace {

void put_if_present(nlohmann::json& object, const char* key, std::string value) {
    if (!value.empty()) {
        object[key] = std::move(value);
    }
}

} // namespace

nlohmann::json to_json(InboundEvent event) {
    nlohmann::json customer = nlohmann::json::object();
    put_if_present(customer, "zalo_user_id", std::move(event.customer.zalo_user_id));
    put_if_present(customer, "zalo_app_user_id", std::move(event.customer.zalo_app_user_id));
    put_if_present(customer, "zalo_anonymous_id", std::move(event.customer.zalo_anonymous_id));
    put_if_present(customer, "messenger_psid", std::move(event.customer.messenger_psid));
    put_if_present(customer, "phone", std::move(event.customer.phone));
    put_if_present(customer, "external_id", std::move(event.customer.external_id));
    put_if_present(customer, "name", std::move(event.customer.name));
    // Member by member, not an initializer list: a list copies every value it holds, and
    // `content` can be the largest part of the event.
    nlohmann::json document = nlohmann::json::object();
    document["source"] = std::move(event.source);
    document["account_id"] = std::move(event.account_id);
    document["name"] = std::move(event.name);
    document["kind"] = std::move(event.kind);
    document["interaction"] = event.interaction;
    document["customer"] = std::move(customer);
    document["occurred_at_ms"] = event.occurred_at_ms;
    document["dedupe_key"] = std::move(event.dedupe_key);
    document["content"] = std::move(event.content);
    return document;
}

InboundEvent inbound_event_from_json(const nlohmann::json& document) {
    InboundEvent event;
    event.source = document.at("source").get<std::string>();
    event.account_id = document.at("account_id").get<std::string>();
    event.name = document.at("name").get<std::string>();
    event.kind = document.at("kind").get<std::string>();
    event.interaction = document.at("interaction").get<bool>();
    event.occurred_at_ms = document.at("occurred_at_ms").get<std::int64_t>();
    event.dedupe_key = document.at("dedupe_key").get<std::string>();
    event.content = document.at("content");
    const nlohmann::json& customer = document.at("customer");
    event.customer.zalo_user_id = string_field(customer, "zalo_user_id");
    event.customer.zalo_app_user_id = string_field(customer, "zalo_app_user_id");
    event.customer.zalo_anonymous_id = string_field(customer, "zalo_anonymous_id");
    event.customer.messenger_psid = string_field(customer, "messenger_psid");
    event.customer.phone = string_field(customer, "phone");
    event.customer.external_id = string_field(customer, "external_id");
    event.customer.name = string_field(customer, "name");
    return event;
}

} // namespace pheu::bot
