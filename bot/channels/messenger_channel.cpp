#include "bot/channels/messenger_channel.h"

#include "bot/channels/outbox_reference.h"
#include "bot/channels/platform_errors.h"
#include "bot/channels/platform_windows.h"
#include "templates/vn_format.h"

namespace pheu::bot::channels {

using nlohmann::json;

namespace {

constexpr const char* k_metadata_prefix = "pheu:";
// A button template's text is at most 640 characters; longer texts go as plain text with
// quick replies.
constexpr std::size_t k_button_template_text = 640;
constexpr std::size_t k_quick_replies = 13;

// The message tag a non-promotional message may use outside the window, or empty.
std::string tag_for(MessagePurpose purpose) {
    switch (purpose) {
    case MessagePurpose::order_update:
        return "POST_PURCHASE_UPDATE";
    case MessagePurpose::subscription_update:
        return "ACCOUNT_UPDATE";
    case MessagePurpose::conversation:
        break;
    }
    return {};
}

} // namespace

MessengerSendMode messenger_send_mode(bool promotional, MessagePurpose purpose,
                                      std::optional<std::int64_t> last_interaction_at, std::int64_t now_ms) {
    if (last_interaction_at && now_ms - *last_interaction_at <= k_messenger_window_ms) {
        return {.allowed = true, .messaging_type = "RESPONSE"};
    }
    if (promotional) {
        return {.reason = "messenger_window_closed: a promotional message cannot go out more than 24 hours after "
                          "the shopper's last message"};
    }
    const std::string tag = tag_for(purpose);
    if (tag.empty()) {
        return {.reason = "messenger_window_closed: more than 24 hours since the shopper's last message and no "
                          "message tag fits this message"};
    }
    return {.allowed = true, .messaging_type = "MESSAGE_TAG", .tag = tag};
}

std::string messenger_metadata(std::int64_t outbox_id) {
    return outbox_reference(k_metadata_prefix, outbox_id);
}

std::optional<std::int64_t> outbox_id_of_metadata(const std::string& metadata) {
    return outbox_id_of_reference(k_metadata_prefix, metadata);
}

json messenger_send_body(const OutboundItem& item, const MessengerSendMode& mode) {
    json buttons = json::array();
    json quick_replies = json::array();
    for (const json& button : item.payload.value("buttons", json::array())) {
        if (!button.is_object()) {
            continue;
        }
        const std::string title = button.value("title", std::string());
        if (button.contains("url")) {
            buttons.push_back({{"type", "web_url"}, {"url", button.value("url", std::string())}, {"title", title}});
        } else if (button.contains("payload")) {
            const std::string payload = button.value("payload", std::string());
            buttons.push_back({{"type", "postback"}, {"title", title}, {"payload", payload}});
            if (quick_replies.size() < k_quick_replies) {
                quick_replies.push_back({{"content_type", "text"}, {"title", title}, {"payload", payload}});
            }
        }
    }
    json message = json::object();
    if (!buttons.empty() && templates::utf8_length(item.text) <= k_button_template_text) {
        message["attachment"] = {{"type", "template"},
                                 {"payload", {{"template_type", "button"}, {"text", item.text}, {"buttons", buttons}}}};
    } else {
        message["text"] = item.text;
        if (!quick_replies.empty()) {
            message["quick_replies"] = quick_replies;
        }
    }
    message["metadata"] = messenger_metadata(item.id);
    json body = {
        {"recipient", {{"id", item.recipient}}}, {"messaging_type", mode.messaging_type}, {"message", message}};
    if (!mode.tag.empty()) {
        body["tag"] = mode.tag;
    }
    return body;
}

MessengerChannel::MessengerChannel(MessengerPageAccess page, HttpTransport& transport)
    : m_page(std::move(page)), m_transport(transport) {}

SendResult MessengerChannel::deliver(const OutboundItem& item, std::int64_t now_ms) {
    if (item.kind != store::OutboxKind::message) {
        return SendResult{.outcome = SendOutcome::permanent,
                          .platform_code = "unsupported",
                          .detail = std::string("Messenger has no ") + store::outbox_kind_id(item.kind)};
    }
    const MessengerSendMode mode =
        messenger_send_mode(item.promotional, item.purpose, item.last_interaction_at, now_ms);
    if (!mode.allowed) {
        return SendResult{.outcome = SendOutcome::not_allowed, .platform_code = "", .detail = mode.reason};
    }
    HttpCall call;
    call.url =
        m_page.graph_base + "/" + m_page.graph_version + "/me/messages?access_token=" + url_encode(access_token());
    call.body = messenger_send_body(item, mode).dump();
    SendResult result = read_messenger_answer(m_transport.send(call));
    result.via = mode.messaging_type == "RESPONSE" ? "response" : "message_tag";
    return result;
}

void MessengerChannel::replace_access_token(std::string page_access_token) {
    std::lock_guard lock(m_token_mutex);
    m_page.page_access_token = std::move(page_access_token);
}

std::string MessengerChannel::access_token() const {
    std::lock_guard lock(m_token_mutex);
    return m_page.page_access_token;
}

MessengerTokenOwner read_token_owner(const HttpAnswer& answer) {
    if (answer.failure != TransportFailure::none) {
        return MessengerTokenOwner{.page_id = "",
                                   .page_name = "",
                                   .problem = "the Graph API did not answer: " + answer.error,
                                   .reached = false};
    }
    const nlohmann::json body = nlohmann::json::parse(answer.body, nullptr, false);
    const auto id = body.is_object() ? body.find("id") : body.end();
    if (answer.status == 200 && body.is_object() && id != body.end() && id->is_string()) {
        return MessengerTokenOwner{.page_id = id->get<std::string>(),
                                   .page_name = body.value("name", std::string()),
                                   .problem = "",
                                   .reached = true};
    }
    std::string message = "HTTP " + std::to_string(answer.status);
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        const auto& error = body["error"];
        message = error.value("message", message);
        if (error.contains("code") && error["code"].is_number_integer()) {
            message += " (code " + std::to_string(error["code"].get<int>()) + ")";
        }
    }
    return MessengerTokenOwner{.page_id = "", .page_name = "", .problem = message, .reached = answer.status < 500};
}

} // namespace pheu::bot::channels
