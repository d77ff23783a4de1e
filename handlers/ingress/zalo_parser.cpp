#include "handlers/ingress/zalo_parser.h"

#include "common/phone.h"
#include "handlers/ingress/json_fields.h"

#include <string_view>

namespace pheu::handlers {

using nlohmann::json;

namespace {

bool starts_with(const std::string& text, std::string_view prefix) {
    return text.rfind(prefix, 0) == 0;
}

bool is_anonymous(const std::string& event_name) {
    return starts_with(event_name, "anonymous_") || starts_with(event_name, "oa_send_anonymous_");
}

json attachments_of(const json& message) {
    json attachments = json::array();
    auto found = message.find("attachments");
    if (found == message.end() || !found->is_array()) {
        return attachments;
    }
    for (const json& attachment : *found) {
        if (attachment.is_object()) {
            attachments.push_back(
                {{"type", common::string_field(attachment, "type")}, {"payload", object_field(attachment, "payload")}});
        }
    }
    return attachments;
}

json message_content(const json& body) {
    const json& message = object_field(body, "message");
    json content = json::object();
    content["text"] = common::string_field(message, "text");
    content["msg_id"] = id_text(message, "msg_id");
    if (auto quote = id_text(message, "quote_msg_id"); !quote.empty()) {
        content["quote_msg_id"] = quote;
    }
    content["attachments"] = attachments_of(message);
    return content;
}

// user_submit_info: the nested full_address layout and the older flat one are both in use.
json submitted_info(const json& info, bot::CustomerRef& customer) {
    json content = json::object();
    customer.name = common::string_field(info, "name");
    content["name"] = customer.name;
    const std::string phone = id_text(info, "phone");
    if (auto normalised = common::normalise_phone(phone)) {
        customer.phone = *normalised;
        content["phone"] = *normalised;
    } else if (!phone.empty()) {
        content["phone_unrecognised"] = true;
    }
    content["birthday"] = common::string_field(info, "user_dob");
    content["gender"] = id_text(info, "gender");
    const json& nested = object_field(info, "full_address");
    json address = json::object();
    if (!nested.empty()) {
        address["address"] = common::string_field(nested, "user_address");
        address["ward"] = common::string_field(nested, "user_ward");
        address["district"] = common::string_field(nested, "user_district");
        address["city"] = common::string_field(nested, "user_city");
    } else {
        address["address"] = common::string_field(info, "address");
        address["ward"] = common::string_field(info, "ward");
        address["district"] = common::string_field(info, "district");
        address["city"] = common::string_field(info, "city");
    }
    content["address"] = std::move(address);
    return content;
}

std::string first_present(std::initializer_list<std::string> values) {
    for (const auto& value : values) {
        if (!value.empty()) {
            return value;
        }
    }
    return {};
}

} // namespace

bool zalo_event_is_from_oa(const std::string& event_name) {
    return starts_with(event_name, "oa_") || event_name == "user_received_message" || event_name == "user_seen_message";
}

ZaloAccountKey zalo_account_key(const json& body) {
    ZaloAccountKey key;
    key.app_id = id_text(body, "app_id");
    key.oa_id = id_text(body, "oa_id");
    if (key.oa_id.empty()) {
        const std::string event_name = common::string_field(body, "event_name");
        const char* oa_side = zalo_event_is_from_oa(event_name) ? "sender" : "recipient";
        key.oa_id = id_text(object_field(body, oa_side), "id");
    }
    return key;
}

bot::InboundEvent parse_zalo_event(const json& body, std::int64_t received_ms) {
    bot::InboundEvent event;
    event.source = bot::EventSource::zalo;
    event.name = common::string_field(body, "event_name");
    event.occurred_at_ms = epoch_ms_field(body, "timestamp").value_or(received_ms);
    event.customer.zalo_app_user_id = id_text(body, "user_id_by_app");
    const std::string& name = event.name;
    const json& sender = object_field(body, "sender");
    const json& recipient = object_field(body, "recipient");
    const bool from_oa = zalo_event_is_from_oa(name);
    const json& user_side = from_oa ? recipient : sender;

    if (is_anonymous(name)) {
        event.customer.zalo_anonymous_id = first_present({id_text(body, "anonymous_id"), id_text(user_side, "id")});
        event.kind = from_oa ? bot::kind::echo : bot::kind::message;
        event.interaction = !from_oa;
        event.content = message_content(body);
        event.content["conversation_id"] = id_text(body, "conversation_id");
    } else if (starts_with(name, "user_send_")) {
        event.customer.zalo_user_id = id_text(sender, "id");
        event.kind = bot::kind::message;
        event.interaction = true;
        event.content = message_content(body);
    } else if (name == "follow" || name == "unfollow") {
        event.customer.zalo_user_id = id_text(object_field(body, "follower"), "id");
        event.kind = name == "follow" ? bot::kind::follow : bot::kind::unfollow;
        event.interaction = name == "follow";
        event.content = {{"source", common::string_field(body, "source")}};
    } else if (name == "user_submit_info") {
        event.customer.zalo_user_id = id_text(sender, "id");
        event.kind = bot::kind::info_submitted;
        event.interaction = true;
        event.content = submitted_info(object_field(body, "info"), event.customer);
    } else if (name == "user_click_chatnow") {
        event.customer.zalo_user_id = first_present({id_text(body, "user_id"), id_text(sender, "id")});
        event.kind = bot::kind::chat_opened;
        event.interaction = true;
    } else if (name == "add_user_to_tag" || name == "remove_user_from_tag" || name == "remove_tag") {
        const json& tag = object_field(body, "tag");
        json user_ids = json::array();
        if (auto ids = tag.find("user_ids"); ids != tag.end() && ids->is_array()) {
            for (const json& id : *ids) {
                if (id.is_string() || id.is_number_integer()) {
                    user_ids.push_back(id.is_string() ? id.get<std::string>() : id.dump());
                }
            }
        }
        if (user_ids.size() == 1) {
            event.customer.zalo_user_id = user_ids[0].get<std::string>();
        }
        event.kind = bot::kind::tag_changed;
        event.content = {{"action", name}, {"tag_name", common::string_field(tag, "name")}, {"user_ids", user_ids}};
    } else if (name == "user_received_message" || name == "user_seen_message") {
        const json& message = object_field(body, "message");
        event.kind = name == "user_received_message" ? bot::kind::delivered : bot::kind::seen;
        json msg_ids = json::array();
        if (auto ids = message.find("msg_ids"); ids != message.end() && ids->is_array()) {
            for (const json& id : *ids) {
                if (id.is_string()) {
                    msg_ids.push_back(id);
                }
            }
        }
        if (auto single = id_text(message, "msg_id"); !single.empty()) {
            msg_ids.push_back(single);
        }
        event.content = {{"msg_ids", msg_ids}};
        const std::string tracking_id = id_text(message, "tracking_id");
        if (!tracking_id.empty()) {
            // A ZNS receipt: the recipient is a phone number (or its hash), not a user id.
            event.content["tracking_id"] = tracking_id;
            event.content["delivery_time"] = id_text(message, "delivery_time");
            event.customer.phone = common::normalise_phone(id_text(recipient, "id")).value_or("");
        } else {
            event.customer.zalo_user_id = id_text(recipient, "id");
        }
    } else if (name == "user_reacted_message" || name == "oa_reacted_message") {
        const json& message = object_field(body, "message");
        event.customer.zalo_user_id = id_text(user_side, "id");
        event.kind = bot::kind::reaction;
        event.interaction = !from_oa;
        event.content = {{"msg_id", id_text(message, "msg_id")},
                         {"react_icon", common::string_field(message, "react_icon")},
                         {"by", from_oa ? "oa" : "user"}};
    } else if (starts_with(name, "oa_send_")) {
        event.customer.zalo_user_id = id_text(recipient, "id");
        event.kind = bot::kind::echo;
        event.content = message_content(body);
        // Present only when a person sent it from the OA chat tool: a staff handoff signal.
        event.content["admin_id"] = id_text(sender, "admin_id");
    } else if (name == "shop_has_order") {
        // The payload is undocumented: take the user from wherever it is named and keep the
        // order id if one is visible; the order itself is fetched from the API later.
        event.customer.zalo_user_id = first_present(
            {id_text(sender, "id"), id_text(object_field(body, "customer"), "id"), id_text(body, "user_id")});
        event.kind = bot::kind::shop_order;
        event.interaction = !event.customer.zalo_user_id.empty();
        event.content = {
            {"order_id", first_present({id_text(body, "order_id"), id_text(object_field(body, "order"), "id"),
                                        id_text(object_field(body, "data"), "order_id")})}};
    } else {
        event.customer.zalo_user_id = first_present({id_text(user_side, "id"), id_text(body, "user_id")});
        event.kind = bot::kind::unknown;
    }

    // Redeliveries carry the same msg_id; the event name is part of the key because a
    // receipt, a reaction and the echo of one message all carry that message's msg_id.
    const std::string msg_id = id_text(object_field(body, "message"), "msg_id");
    if (!msg_id.empty()) {
        event.dedupe_key = "zalo:" + name + ":" + msg_id;
    } else {
        const std::string who = first_present({event.customer.zalo_user_id, event.customer.zalo_anonymous_id,
                                               event.customer.zalo_app_user_id, event.customer.phone,
                                               event.content.value("tag_name", std::string())});
        const std::string timestamp = id_text(body, "timestamp");
        event.dedupe_key =
            "zalo:" + name + ":" + who + ":" + (timestamp.empty() ? std::to_string(received_ms) : timestamp);
    }
    return event;
}

} // namespace pheu::handlers
