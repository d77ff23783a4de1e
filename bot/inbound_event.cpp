#include "bot/inbound_event.h"

#include "common/json_fields.h"
#include "common/json_text.h"

namespace pheu::bot {

bool CustomerRef::empty() const {
    return zalo_user_id.empty() && zalo_app_user_id.empty() && zalo_anonymous_id.empty() && messenger_psid.empty() &&
           phone.empty() && external_id.empty();
}

namespace {

void put_if_present(common::JsonObjectWriter& object, std::string_view key, const std::string& value) {
    if (!value.empty()) {
        object.member(key, value);
    }
}

} // namespace

std::string event_json_text(const InboundEvent& event) {
    std::string text;
    text.reserve(256 + event.customer.name.size() + 2 * event.dedupe_key.size());
    // Members sorted by key, as nlohmann orders an object: the stored bytes do not depend on
    // which writer made them.
    common::JsonObjectWriter document(text);
    document.member("account_id", event.account_id).member("content", event.content);
    common::JsonObjectWriter customer = document.object("customer");
    put_if_present(customer, "external_id", event.customer.external_id);
    put_if_present(customer, "messenger_psid", event.customer.messenger_psid);
    put_if_present(customer, "name", event.customer.name);
    put_if_present(customer, "phone", event.customer.phone);
    put_if_present(customer, "zalo_anonymous_id", event.customer.zalo_anonymous_id);
    put_if_present(customer, "zalo_app_user_id", event.customer.zalo_app_user_id);
    put_if_present(customer, "zalo_user_id", event.customer.zalo_user_id);
    customer.close();
    document.member("dedupe_key", event.dedupe_key)
        .member("interaction", event.interaction)
        .member("kind", event.kind)
        .member("name", event.name)
        .member("occurred_at_ms", event.occurred_at_ms)
        .member("source", event_source_id(event.source));
    document.close();
    return text;
}

InboundEvent inbound_event_from_json(const nlohmann::json& document) {
    InboundEvent event;
    const std::string source = document.at("source").get<std::string>();
    const std::optional<EventSource> known = parse_event_source(source);
    if (!known) {
        throw std::invalid_argument("the stored event names an unknown source \"" + source + "\"");
    }
    event.source = *known;
    event.account_id = document.at("account_id").get<std::string>();
    event.name = document.at("name").get<std::string>();
    event.kind = document.at("kind").get<std::string>();
    event.interaction = document.at("interaction").get<bool>();
    event.occurred_at_ms = document.at("occurred_at_ms").get<std::int64_t>();
    event.dedupe_key = document.at("dedupe_key").get<std::string>();
    event.content = document.at("content");
    const nlohmann::json& customer = document.at("customer");
    event.customer.zalo_user_id = common::string_field(customer, "zalo_user_id");
    event.customer.zalo_app_user_id = common::string_field(customer, "zalo_app_user_id");
    event.customer.zalo_anonymous_id = common::string_field(customer, "zalo_anonymous_id");
    event.customer.messenger_psid = common::string_field(customer, "messenger_psid");
    event.customer.phone = common::string_field(customer, "phone");
    event.customer.external_id = common::string_field(customer, "external_id");
    event.customer.name = common::string_field(customer, "name");
    return event;
}

bool is_chat_contact(const InboundEvent& event) {
    return event.kind == kind::message || event.kind == kind::postback || event.kind == kind::follow;
}

bool opens_reply_window(const InboundEvent& event, Channel channel) {
    if (!event.interaction || chat_channel_of(event.source) != channel) {
        return false;
    }
    if (channel == Channel::messenger) {
        return event.kind == kind::message || event.kind == kind::postback || event.kind == kind::referral;
    }
    return true;
}

} // namespace pheu::bot
