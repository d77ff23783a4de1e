#pragma once
// The shop's messaging settings, read from the settings table over sensible defaults:
//   "send_policy": {"daily_cap":2,"weekly_cap":5,"quiet_hours":{"start":"22:00","end":"06:00"},
//                   "handoff_minutes":60}
//   "shop": {"name":…, "hours":…, "address":…, "hotline":…, "website":…, "community_url":…,
//            "shipping":…, "payment":…, "returns":…, "size_guide_url":…}
//   "zalo_templates": see k_zalo_templates_key
//   "message_prices": {"zalo_consultation":0,"zalo_consultation_late":55,"zalo_template":220,
//                      "zns":300,"messenger":0} (VND a message, bot/playbook/broadcast_route.h)
#include "bot/playbook/broadcast_route.h"
#include "bot/playbook/send_policy.h"

#include <nlohmann/json.hpp>

namespace pheu::store {
class SettingsStore;
}

namespace pheu::bot {

inline constexpr const char* k_send_policy_key = "send_policy";
inline constexpr const char* k_shop_profile_key = "shop";
// "zalo_templates": {"<pheu template id>": {"template_id": "<Zalo's id>", "via": "uid" | "zns",
//                    "data": {"<param>": "<Mustache over the message's context>"}}}
// What a message is sent as when the customer is outside Zalo's 7-day window.
inline constexpr const char* k_zalo_templates_key = "zalo_templates";
inline constexpr const char* k_message_prices_key = "message_prices";
// "attribution": {"window_days": 7}: a purchase this many days after a message was delivered
// or clicked is the message's (store/message_results.h).
inline constexpr const char* k_attribution_key = "attribution";
inline constexpr int k_default_attribution_days = 7;

// A malformed stored field keeps its default (the admin API validates before storing).
SendPolicySettings load_send_policy(store::SettingsStore& settings);
MessagePrices load_message_prices(store::SettingsStore& settings);
nlohmann::json message_prices_json(const MessagePrices& prices);
int load_attribution_days(store::SettingsStore& settings);
// "HH:MM" → minutes since midnight; nullopt for anything else.
std::optional<int> parse_clock_minutes(const std::string& text);

// The stored shop profile over the built-in pack's defaults: every field is a string.
nlohmann::json load_shop_profile(store::SettingsStore& settings);

} // namespace pheu::bot
