#include "bot/playbook/messaging_settings.h"

#include "store/settings_store.h"
#include "templates/builtin_pack.h"

#include <cstdio>

namespace pheu::bot {

using nlohmann::json;

namespace {

template <typename Number> void read_count(const json& object, const char* key, Number& out) {
    auto found = object.find(key);
    if (found != object.end() && found->is_number_integer() && found->get<std::int64_t>() >= 0) {
        out = static_cast<Number>(found->get<std::int64_t>());
    }
}

} // namespace

std::optional<int> parse_clock_minutes(const std::string& text) {
    unsigned hours = 0;
    unsigned minutes = 0;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%2u:%2u%c", &hours, &minutes, &extra) != 2 || hours > 23 || minutes > 59) {
        return std::nullopt;
    }
    return static_cast<int>(hours * 60 + minutes);
}

SendPolicySettings load_send_policy(store::SettingsStore& settings) {
    SendPolicySettings policy;
    const json stored = settings.get_object(k_send_policy_key);
    read_count(stored, "daily_cap", policy.daily_cap);
    read_count(stored, "weekly_cap", policy.weekly_cap);
    read_count(stored, "handoff_minutes", policy.handoff_minutes);
    if (auto quiet = stored.find("quiet_hours"); quiet != stored.end() && quiet->is_object()) {
        auto start = parse_clock_minutes(quiet->value("start", std::string()));
        auto end = parse_clock_minutes(quiet->value("end", std::string()));
        if (start && end) {
            policy.quiet_start_minute = *start;
            policy.quiet_end_minute = *end;
        }
    }
    return policy;
}

MessagePrices load_message_prices(store::SettingsStore& settings) {
    MessagePrices prices;
    const json stored = settings.get_object(k_message_prices_key);
    read_count(stored, "zalo_consultation", prices.zalo_consultation);
    read_count(stored, "zalo_consultation_late", prices.zalo_consultation_late);
    read_count(stored, "zalo_template", prices.zalo_template);
    read_count(stored, "zns", prices.zns);
    read_count(stored, "messenger", prices.messenger);
    return prices;
}

json message_prices_json(const MessagePrices& prices) {
    return {{"zalo_consultation", prices.zalo_consultation},
            {"zalo_consultation_late", prices.zalo_consultation_late},
            {"zalo_template", prices.zalo_template},
            {"zns", prices.zns},
            {"messenger", prices.messenger}};
}

int load_attribution_days(store::SettingsStore& settings) {
    int days = k_default_attribution_days;
    read_count(settings.get_object(k_attribution_key), "window_days", days);
    return days > 0 ? days : k_default_attribution_days;
}

json load_shop_profile(store::SettingsStore& settings) {
    json profile = templates::builtin_pack().shop;
    const json stored = settings.get_object(k_shop_profile_key);
    for (auto& [key, value] : stored.items()) {
        if (value.is_string()) {
            profile[key] = value;
        }
    }
    return profile;
}

} // namespace pheu::bot
