#pragma once
// Which channel a broadcast reaches a customer on, and what it costs the shop. Pure.
//
// The platforms' rules (docs/platforms.md): a Zalo consultation message is free within 48
// hours of the shopper's last interaction with the OA and billed from 48 hours to 7 days;
// past 7 days only the shop's approved Zalo template goes out (by user id, or ZNS by phone),
// billed per message; Messenger takes a business's message only within 24 hours of the
// person's last one, free. Each customer gets the cheapest route allowed; the prices are the
// shop's settings ("message_prices"), since they change with the shop's Zalo plan.
#include "bot/channel.h"
#include "bot/playbook/send_policy.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pheu::bot {

// VND per message.
struct MessagePrices {
    std::int64_t zalo_consultation = 0;       // within 48 hours of the last interaction
    std::int64_t zalo_consultation_late = 55; // from 48 hours to 7 days
    std::int64_t zalo_template = 220;         // the shop's template by user id, past 7 days
    std::int64_t zns = 300;                   // the shop's ZNS template by phone, past 7 days
    std::int64_t messenger = 0;               // within 24 hours
};

inline constexpr std::int64_t k_zalo_free_window_ms = 48LL * 60 * 60 * 1000;

enum class BroadcastRoute { zalo_consultation, zalo_template, zns, messenger };
const char* broadcast_route_id(BroadcastRoute route);

// How the shop mapped the broadcast's template to an approved Zalo template, if it did.
enum class ZaloTemplateMapping { none, by_user_id, zns };

// The mapping of the shop's "zalo_templates" setting for a pheu template.
ZaloTemplateMapping zalo_template_mapping(const nlohmann::json& zalo_templates, const std::string& template_id);

struct RouteFacts {
    ZaloTemplateMapping zalo_template = ZaloTemplateMapping::none;
    bool has_phone = false;
};

struct RouteChoice {
    Channel channel = Channel::zalo;
    BroadcastRoute route = BroadcastRoute::zalo_consultation;
    std::int64_t cost_vnd = 0;
};

// The cheapest route open to the customer now (Zalo first on a tie: the shop's own channel),
// or none when no platform would carry the message.
std::optional<RouteChoice> cheapest_route(const RecipientState& recipient, const RouteFacts& facts,
                                          const MessagePrices& prices, std::int64_t now);

// What a message the platform took cost the shop: `via` is how it went (the channel's answer:
// "cs", "template", "zns", "response", "message_tag", or "sandbox" for what live would have
// used), `last_interaction_at` the shopper's last interaction when it was sent.
std::int64_t sent_message_cost(Channel channel, std::string_view via, std::optional<std::int64_t> last_interaction_at,
                               std::int64_t sent_at, const MessagePrices& prices);

// What a broadcast would reach and cost, customer by customer: how many on each route and
// their price, and how many no platform would carry a message to now. Before the send
// policy's caps, quiet hours and staff handoff, which a send applies as it goes.
struct ReachEstimate {
    std::array<std::int64_t, 4> customers{}; // by BroadcastRoute
    std::array<std::int64_t, 4> cost_vnd{};
    std::int64_t unreachable = 0;

    void add(const std::optional<RouteChoice>& route);
    std::int64_t total_cost_vnd() const;
};

} // namespace pheu::bot
