#include "bot/playbook/broadcast_route.h"

#include <vector>

namespace pheu::bot {

const char* broadcast_route_id(BroadcastRoute route) {
    switch (route) {
    case BroadcastRoute::zalo_consultation:
        return "zalo_consultation";
    case BroadcastRoute::zalo_template:
        return "zalo_template";
    case BroadcastRoute::zns:
        return "zns";
    case BroadcastRoute::messenger:
        return "messenger";
    }
    return "zalo_consultation";
}

std::optional<RouteChoice> cheapest_route(const RecipientState& recipient, const RouteFacts& facts,
                                          const MessagePrices& prices, std::int64_t now) {
    std::vector<RouteChoice> open;
    if (recipient.on_zalo) {
        const auto since = recipient.zalo_last_interaction_at;
        if (since && now - *since <= k_zalo_free_window_ms) {
            open.push_back({Channel::zalo, BroadcastRoute::zalo_consultation, prices.zalo_consultation});
        } else if (since && now - *since <= k_zalo_window_ms) {
            open.push_back({Channel::zalo, BroadcastRoute::zalo_consultation, prices.zalo_consultation_late});
        } else if (facts.zalo_template == ZaloTemplateMapping::by_user_id) {
            open.push_back({Channel::zalo, BroadcastRoute::zalo_template, prices.zalo_template});
        } else if (facts.zalo_template == ZaloTemplateMapping::zns && facts.has_phone) {
            open.push_back({Channel::zalo, BroadcastRoute::zns, prices.zns});
        }
    }
    if (recipient.on_messenger && recipient.messenger_last_interaction_at &&
        now - *recipient.messenger_last_interaction_at <= k_messenger_window_ms) {
        open.push_back({Channel::messenger, BroadcastRoute::messenger, prices.messenger});
    }
    std::optional<RouteChoice> cheapest;
    for (const auto& choice : open) {
        if (!cheapest || choice.cost_vnd < cheapest->cost_vnd) {
            cheapest = choice;
        }
    }
    return cheapest;
}

} // namespace pheu::bot
