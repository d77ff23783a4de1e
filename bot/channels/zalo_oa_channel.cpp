#include "bot/channels/zalo_oa_channel.h"

#include "bot/channels/outbox_reference.h"
#include "bot/channels/platform_errors.h"
#include "common/json_fields.h"

namespace pheu::bot::channels {

using nlohmann::json;

namespace {

constexpr const char* k_tracking_prefix = "pheu-";

// Template buttons as Zalo draws them: a payload button sends its payload back as the
// shopper's text without showing it ("oa.query.hide"), a link opens the page.
json zalo_buttons(const json& buttons) {
    json converted = json::array();
    for (const json& button : buttons) {
        if (!button.is_object()) {
            continue;
        }
        const std::string title = button.value("title", std::string());
        if (button.contains("url")) {
            converted.push_back({{"title", title},
                                 {"type", "oa.open.url"},
                                 {"payload", {{"url", button.value("url", std::string())}}}});
        } else if (button.contains("payload")) {
            converted.push_back(
                {{"title", title}, {"type", "oa.query.hide"}, {"payload", button.value("payload", std::string())}});
        }
    }
    return converted;
}

json template_data_of(const OutboundItem& item) {
    const json& mapping = item.payload.contains("zalo_template") ? item.payload["zalo_template"] : json::object();
    return mapping.value("data", json::object());
}

std::string template_id_of(const OutboundItem& item) {
    const json& mapping = item.payload.contains("zalo_template") ? item.payload["zalo_template"] : json::object();
    return mapping.value("template_id", std::string());
}

} // namespace

FollowerProfile zalo_follower_profile(const nlohmann::json& data) {
    if (!data.is_object()) {
        return {};
    }
    FollowerProfile profile{.display_name = common::string_field(data, "display_name"), .avatar_url = {}};
    if (const auto avatars = data.find("avatars"); avatars != data.end() && avatars->is_object()) {
        profile.avatar_url = common::string_field(*avatars, "240");
    }
    if (profile.avatar_url.empty()) {
        profile.avatar_url = common::string_field(data, "avatar");
    }
    return profile;
}

std::string zns_tracking_id(std::int64_t outbox_id) {
    return outbox_reference(k_tracking_prefix, outbox_id);
}

std::optional<std::int64_t> outbox_id_of_tracking_id(const std::string& tracking_id) {
    return outbox_id_of_reference(k_tracking_prefix, tracking_id);
}

json zalo_cs_body(const OutboundItem& item) {
    json message = json::object();
    const json& payload = item.payload;
    if (auto ask = payload.find("request_user_info"); ask != payload.end() && ask->is_object()) {
        json element = {{"title", ask->value("title", item.text)}, {"subtitle", ask->value("subtitle", std::string())}};
        if (ask->contains("image_url")) {
            element["image_url"] = (*ask)["image_url"];
        }
        message["attachment"] = {
            {"type", "template"},
            {"payload", {{"template_type", "request_user_info"}, {"elements", json::array({element})}}}};
        return {{"recipient", {{"user_id", item.recipient}}}, {"message", message}};
    }
    message["text"] = item.text;
    const json buttons = zalo_buttons(payload.value("buttons", json::array()));
    const std::string image_url = payload.value("image_url", std::string());
    if (!image_url.empty()) {
        json media = {{"template_type", "media"},
                      {"elements", json::array({{{"media_type", "image"}, {"url", image_url}}})}};
        if (!buttons.empty()) {
            media["buttons"] = buttons;
        }
        message["attachment"] = {{"type", "template"}, {"payload", media}};
    } else if (!buttons.empty()) {
        message["attachment"] = {{"type", "template"}, {"payload", {{"buttons", buttons}}}};
    }
    return {{"recipient", {{"user_id", item.recipient}}}, {"message", message}};
}

HttpCall zalo_call_for(const OutboundItem& item, const ZaloEndpoints& endpoints, const std::string& access_token) {
    HttpCall call;
    call.headers = {{"access_token", access_token}};
    if (item.kind == store::OutboxKind::tag || item.kind == store::OutboxKind::untag) {
        call.url = endpoints.api_base + (item.kind == store::OutboxKind::tag ? "/v2.0/oa/tag/tagfollower"
                                                                             : "/v2.0/oa/tag/rmfollowerfromtag");
        call.body =
            json{{"user_id", item.recipient}, {"tag_name", item.payload.value("tag_name", std::string())}}.dump();
    } else if (item.kind == store::OutboxKind::profile) {
        call.method = "GET";
        call.url =
            endpoints.api_base + "/v3.0/oa/user/detail?data=" + url_encode(json{{"user_id", item.recipient}}.dump());
    } else if (item.route == ZaloRoute::template_uid) {
        call.url = endpoints.api_base + "/v3.0/oa/message/template";
        call.body = json{{"user_id", item.recipient},
                         {"template_id", template_id_of(item)},
                         {"template_data", template_data_of(item)}}
                        .dump();
    } else if (item.route == ZaloRoute::zns) {
        call.url = endpoints.zns_base + "/message/template";
        call.body = json{{"phone", item.phone},
                         {"template_id", template_id_of(item)},
                         {"template_data", template_data_of(item)},
                         {"tracking_id", zns_tracking_id(item.id)}}
                        .dump();
    } else {
        call.url = endpoints.api_base + "/v3.0/oa/message/cs";
        call.body = zalo_cs_body(item).dump();
    }
    return call;
}

ZaloOaChannel::ZaloOaChannel(ZaloEndpoints endpoints, HttpTransport& transport, ZaloTokens& tokens)
    : m_endpoints(std::move(endpoints)), m_transport(transport), m_tokens(tokens) {}

SendResult ZaloOaChannel::call_with(const OutboundItem& item, const std::string& token) {
    SendResult result = read_zalo_answer(m_transport.send(zalo_call_for(item, m_endpoints, token)));
    if (item.kind == store::OutboxKind::tag || item.kind == store::OutboxKind::untag) {
        result.via = "tag";
    } else if (item.kind == store::OutboxKind::profile) {
        result.via = "profile";
    } else {
        result.via = item.route == ZaloRoute::cs ? "cs" : item.route == ZaloRoute::zns ? "zns" : "template";
    }
    return result;
}

SendResult ZaloOaChannel::deliver(const OutboundItem& item, std::int64_t now_ms) {
    const std::string token = m_tokens.current();
    SendResult result = call_with(item, token);
    if (result.outcome != SendOutcome::auth_expired) {
        return result;
    }
    // An expired token: refreshed once (by whichever call noticed first) and retried once.
    if (auto fresh = m_tokens.refresh_after_failure(token, now_ms)) {
        return call_with(item, *fresh);
    }
    return result;
}

} // namespace pheu::bot::channels
