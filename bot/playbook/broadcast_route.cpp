#include "bot/playbook/broadcast_route.h"

#include <vector>

namespace pheu::bot {

namespace {

// A Zalo consultation message's price: free within 48 hours of the shopper's last
// interaction with the OA, billed after (and when that moment is not known). What a
// broadcast expects to pay and what a sent message cost are priced by this one rule.
std::int64_t consultation_price(std::optional<std::int64_t> last_interaction_at, std::int64_t at,
                                const MessagePrices& prices) {
    const bool free_window = last_interaction_at && at - *last_interaction_at <= k_zalo_free_window_ms;
    return free_window ? prices.zalo_consultation : prices.zalo_consultation_late;
}

} // namespace

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

ZaloTemplateMapping zalo_template_mapping(const nlohmann::json& zalo_templates, const std::string& template_id) {
    const auto mapping = zalo_templates.is_object() ? zalo_templates.find(template_id) : zalo_templates.end();
    if (!zalo_templates.is_object() || mapping == zalo_templates.end() || !mapping->is_object() ||
        mapping->value("template_id", std::string()).empty()) {
        return ZaloTemplateMapping::none;
    }
    return mapping->value("via", std::string()) == "zns" ? ZaloTemplateMapping::zns : ZaloTemplateMapping::by_user_id;
}

std::int64_t sent_message_cost(Channel channel, std::string_view via, std::optional<std::int64_t> last_interaction_at,
                               std::int64_t sent_at, const MessagePrices& prices) {
    if (channel == Channel::messenger) {
        return prices.messenger;
    }
    if (via == "template") {
        return prices.zalo_template;
    }
    if (via == "zns") {
        return prices.zns;
    }
    return consultation_price(last_interaction_at, sent_at, prices);
}

void ReachEstimate::add(const std::optional<RouteChoice>& route) {
    if (!route) {
        ++unreachable;
        return;
    }
    const auto index = static_cast<std::size_t>(route->route);
    ++customers[index];
    cost_vnd[index] += route->cost_vnd;
}

std::int64_t ReachEstimate::total_cost_vnd() const {
    std::int64_t total = 0;
    for (const std::int64_t cost : cost_vnd) {
        total += cost;
    }
    return total;
}

std::optional<RouteChoice> cheapest_route(const RecipientState& recipient, const RouteFacts& facts,
                                          const MessagePrices& prices, std::int64_t now) {
    std::vector<RouteChoice> open;
    const auto since = recipient.on_zalo ? recipient.zalo_last_interaction_at : std::nullopt;
    if (since && now - *since <= k_zalo_window_ms) {
        open.push_back({Channel::zalo, BroadcastRoute::zalo_consultation, consultation_price(since, now, prices)});
    } else if (recipient.on_zalo && facts.zalo_template == ZaloTemplateMapping::by_user_id) {
        open.push_back({Channel::zalo, BroadcastRoute::zalo_template, prices.zalo_template});
    } else if (facts.zalo_template == ZaloTemplateMapping::zns && facts.has_phone) {
        // ZNS goes by phone number: a customer who never followed the OA is reached too.
        open.push_back({Channel::zalo, BroadcastRoute::zns, prices.zns});
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
