#pragma once
// The Zalo OpenAPI as pheu uses it (docs/platforms.md, "Sending"): consultation
// messages (text; text with buttons; an image by URL; a request for the user's info),
// template messages for customers outside the 7-day window (by user id, or ZNS by phone),
// follower tags, and follower details. Every call carries the OA's token in the
// `access_token` header; errors come back with HTTP 200 and are read from the body.
#include "bot/channels/channel.h"
#include "bot/channels/http_transport.h"
#include "bot/channels/zalo_tokens.h"

#include <nlohmann/json.hpp>

#include <string>

namespace pheu::bot::channels {

struct ZaloEndpoints {
    std::string api_base; // https://openapi.zalo.me
    std::string zns_base; // https://business.openapi.zalo.me
};

// The request one item makes, with `access_token` as its token. Pure, so the wire format
// is tested without a server.
HttpCall zalo_call_for(const OutboundItem& item, const ZaloEndpoints& endpoints, const std::string& access_token);

// The consultation message body for a text, with the template's buttons or image.
nlohmann::json zalo_cs_body(const OutboundItem& item);

// What Zalo's user detail tells of a follower: the display name and the larger avatar (240
// px, else the default one). Fields missing or of another type read as empty.
struct FollowerProfile {
    std::string display_name;
    std::string avatar_url;
};
FollowerProfile zalo_follower_profile(const nlohmann::json& data);

// The ZNS tracking id of an outbox row, and back (ZNS receipts carry it).
std::string zns_tracking_id(std::int64_t outbox_id);
std::optional<std::int64_t> outbox_id_of_tracking_id(const std::string& tracking_id);

class ZaloOaChannel final : public Channel {
public:
    ZaloOaChannel(ZaloEndpoints endpoints, HttpTransport& transport, ZaloTokens& tokens);

    SendResult deliver(const OutboundItem& item, std::int64_t now_ms) override;

private:
    SendResult call_with(const OutboundItem& item, const std::string& token);

    ZaloEndpoints m_endpoints;
    HttpTransport& m_transport;
    ZaloTokens& m_tokens;
};

} // namespace pheu::bot::channels
