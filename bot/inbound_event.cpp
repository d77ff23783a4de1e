#include "bot/inbound_event.h"

#include "bot/json_fields.h"

namespace pheu::bot {

bool CustomerRef::empty() const {
    return zalo_user_id.empty() && zalo_app_user_id.empty() && zalo_anonymous_id.empty() &&
           messenger_psid.empty() && phone.empty() && external_id.empty();
}

namespace {

void put_if_present(nlohmann::json& object, const char* key, const std::string& value) {
    if (!value.empty()) {
        object[key] = value;
    }
}

} // namespace

nlohmann::json to_json(const InboundEvent& event) {
    nlohmann::json customer = nlohmann::json::object();
    put_if_present(customer, "zalo_user_id", event.customer.zalo_user_id);
    put_if_present(customer, "zalo_app_user_id", event.customer.zalo_app_user_id);
    put_if_present(customer, "zalo_anonymous_id", event.customer.zalo_anonymous_id);
    put_if_present(customer, "messenger_psid", event.customer.messenger_psid);
    put_if_present(customer, "phone", event.customer.phone);
    put_if_present(customer, "external_id", event.customer.external_id);
    put_if_present(customer, "name", event.customer.name);
    return {
        {"source", event.source},
        {"account_id", event.account_id},
        {"name", event.name},
        {"kind", event.kind},
        {"interaction", event.interaction},
        {"customer", std::move(customer)},
        {"occurred_at_ms", event.occurred_at_ms},
        {"dedupe_key", event.dedupe_key},
        {"content", event.content},
    };
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
