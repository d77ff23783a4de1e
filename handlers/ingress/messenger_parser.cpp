#include "handlers/ingress/messenger_parser.h"

#include "handlers/ingress/json_fields.h"

namespace pheu::handlers {

using nlohmann::json;

namespace {

json message_content(const json& message) {
    json content = {{"mid", id_text(message, "mid")}, {"text", common::string_field(message, "text")}};
    if (auto payload = common::string_field(object_field(message, "quick_reply"), "payload"); !payload.empty()) {
        content["quick_reply_payload"] = payload;
    }
    if (auto reply_to = id_text(object_field(message, "reply_to"), "mid"); !reply_to.empty()) {
        content["reply_to"] = reply_to;
    }
    json attachments = json::array();
    if (auto found = message.find("attachments"); found != message.end() && found->is_array()) {
        for (const json& attachment : *found) {
            if (attachment.is_object()) {
                attachments.push_back({{"type", common::string_field(attachment, "type")},
                                       {"payload", object_field(attachment, "payload")}});
            }
        }
    }
    content["attachments"] = std::move(attachments);
    return content;
}

bot::InboundEvent parse_item(const json& item, const std::string& page_id, std::int64_t entry_time_ms) {
    bot::InboundEvent event;
    event.source = bot::EventSource::messenger;
    event.account_id = page_id;
    event.occurred_at_ms = epoch_ms_field(item, "timestamp").value_or(entry_time_ms);
    const std::string sender = id_text(object_field(item, "sender"), "id");
    const std::string recipient = id_text(object_field(item, "recipient"), "id");
    event.customer.messenger_psid = sender;
    std::string mid;

    if (item.contains("message")) {
        const json& message = object_field(item, "message");
        event.content = message_content(message);
        mid = id_text(message, "mid");
        if (true_field(message, "is_echo")) {
            // The page's own send: the customer is the recipient. Never answered.
            event.name = "message_echo";
            event.kind = bot::kind::echo;
            event.customer.messenger_psid = recipient;
            event.content["app_id"] = id_text(message, "app_id");
            event.content["metadata"] = common::string_field(message, "metadata");
        } else {
            event.name = "message";
            event.kind = bot::kind::message;
            event.interaction = true;
        }
    } else if (item.contains("postback")) {
        const json& postback = object_field(item, "postback");
        event.name = "postback";
        event.kind = bot::kind::postback;
        event.interaction = true;
        mid = id_text(postback, "mid");
        event.content = {{"title", common::string_field(postback, "title")},
                         {"payload", common::string_field(postback, "payload")}};
        if (const json& referral = object_field(postback, "referral"); !referral.empty()) {
            event.content["referral"] = referral;
        }
    } else if (item.contains("delivery")) {
        const json& delivery = object_field(item, "delivery");
        event.name = "delivery";
        event.kind = bot::kind::delivered;
        json mids = json::array();
        if (auto found = delivery.find("mids"); found != delivery.end() && found->is_array()) {
            for (const json& id : *found) {
                if (id.is_string()) {
                    mids.push_back(id);
                }
            }
        }
        event.content = {{"mids", mids}, {"watermark", epoch_ms_field(delivery, "watermark").value_or(0)}};
    } else if (item.contains("read")) {
        event.name = "read";
        event.kind = bot::kind::seen;
        event.content = {{"watermark", epoch_ms_field(object_field(item, "read"), "watermark").value_or(0)}};
    } else if (item.contains("referral")) {
        const json& referral = object_field(item, "referral");
        event.name = "referral";
        event.kind = bot::kind::referral;
        event.interaction = true;
        event.content = {{"ref", common::string_field(referral, "ref")},
                         {"source", common::string_field(referral, "source")},
                         {"type", common::string_field(referral, "type")}};
    } else if (item.contains("reaction")) {
        const json& reaction = object_field(item, "reaction");
        event.name = "reaction";
        event.kind = bot::kind::reaction;
        event.interaction = true;
        event.content = {{"mid", id_text(reaction, "mid")},
                         {"reaction", common::string_field(reaction, "reaction")},
                         {"action", common::string_field(reaction, "action")}};
    } else {
        // optin, account_linking, handover and whatever Meta adds next: kept, not acted on.
        event.name = "unknown";
        for (const auto& [key, value] : item.items()) {
            if (key != "sender" && key != "recipient" && key != "timestamp") {
                event.name = key;
                break;
            }
        }
        event.kind = bot::kind::unknown;
    }

    if (!mid.empty()) {
        event.dedupe_key = "messenger:" + event.name + ":" + mid;
    } else {
        event.dedupe_key = "messenger:" + page_id + ":" + event.customer.messenger_psid + ":" +
                           std::to_string(event.occurred_at_ms) + ":" + event.name;
    }
    return event;
}

} // namespace

std::string messenger_page_id(const json& body) {
    auto entries = body.find("entry");
    if (entries == body.end() || !entries->is_array() || entries->empty()) {
        return {};
    }
    return id_text((*entries)[0], "id");
}

MessengerEvents parse_messenger_events(const json& body, std::int64_t received_ms,
                                       const std::function<bool(const std::string& page_id)>& accept_page) {
    MessengerEvents parsed;
    std::vector<ParsedEvent>& events = parsed.events;
    auto entries = body.find("entry");
    if (entries == body.end() || !entries->is_array()) {
        return parsed;
    }
    for (const json& entry : *entries) {
        if (!entry.is_object()) {
            continue;
        }
        const std::string page_id = id_text(entry, "id");
        if (!accept_page(page_id)) {
            ++parsed.refused_entries;
            continue;
        }
        const std::int64_t entry_time = epoch_ms_field(entry, "time").value_or(received_ms);
        auto items = entry.find("messaging");
        if (items == entry.end() || !items->is_array()) {
            continue;
        }
        for (const json& item : *items) {
            if (item.is_object()) {
                events.push_back(ParsedEvent{parse_item(item, page_id, entry_time), item.dump()});
            }
        }
    }
    return parsed;
}

std::vector<ParsedEvent> parse_messenger_events(const json& body, std::int64_t received_ms) {
    return parse_messenger_events(body, received_ms, [](const std::string&) { return true; }).events;
}

} // namespace pheu::handlers
