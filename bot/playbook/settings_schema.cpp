#include "bot/playbook/settings_schema.h"

#include "bot/playbook/messaging_settings.h"
#include "bot/customers/shop_settings.h"
#include "bot/stage.h"
#include "store/settings_store.h"
#include "templates/mustache.h"

#include <algorithm>
#include <utility>

namespace pheu::bot {

using nlohmann::json;

namespace {

// `predicate` completes "This setting …", e.g. "must be a string".
common::InputError problem(std::string path, const std::string& predicate) {
    return {.message = "This setting " + predicate + ".", .path = std::move(path)};
}

std::string clock_text(int minute_of_day) {
    const int hours = (minute_of_day / 60) % 24;
    const int minutes = minute_of_day % 60;
    return std::string{static_cast<char>('0' + hours / 10), static_cast<char>('0' + hours % 10), ':',
                       static_cast<char>('0' + minutes / 10), static_cast<char>('0' + minutes % 10)};
}

std::optional<common::InputError> whole_numbers(const json& value, const std::vector<std::string>& keys,
                                                std::int64_t min, std::int64_t max) {
    for (const auto& [key, field] : value.items()) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            return problem("/" + key, "is not a setting here");
        }
        if (!field.is_number_integer() || field.get<std::int64_t>() < min || field.get<std::int64_t>() > max) {
            return problem("/" + key,
                           "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        }
    }
    return std::nullopt;
}

std::optional<common::InputError> validate_send_policy(const json& value) {
    json counts = value;
    counts.erase("quiet_hours");
    if (auto problem = whole_numbers(counts, {"daily_cap", "weekly_cap", "handoff_minutes"}, 0, 100000)) {
        return problem;
    }
    if (auto quiet = value.find("quiet_hours"); quiet != value.end()) {
        if (!quiet->is_object()) {
            return problem("/quiet_hours", "must be an object with start and end");
        }
        for (const char* bound : {"start", "end"}) {
            auto field = quiet->find(bound);
            if (field == quiet->end() || !field->is_string() || !parse_clock_minutes(field->get<std::string>())) {
                return problem(std::string("/quiet_hours/") + bound, "must be a time of day as HH:MM");
            }
        }
    }
    return std::nullopt;
}

std::optional<common::InputError> validate_strings(const json& value, const std::vector<std::string>& keys,
                                                   bool non_empty) {
    for (const auto& [key, field] : value.items()) {
        if (!keys.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) {
            return problem("/" + key, "is not a setting here");
        }
        if (!field.is_string() || (non_empty && field.get_ref<const std::string&>().empty())) {
            return problem("/" + key, non_empty ? "must be a non-empty string" : "must be a string");
        }
    }
    return std::nullopt;
}

std::optional<common::InputError> validate_zalo_templates(const json& value) {
    for (const auto& [template_id, mapping] : value.items()) {
        const std::string path = "/" + template_id;
        if (!mapping.is_object()) {
            return problem(path, "must be an object with template_id, via and data");
        }
        auto zalo_id = mapping.find("template_id");
        if (zalo_id == mapping.end() || !zalo_id->is_string() || zalo_id->get_ref<const std::string&>().empty()) {
            return problem(path + "/template_id", "must be the id Zalo gave the approved template");
        }
        const std::string via = mapping.value("via", std::string("uid"));
        if (via != "uid" && via != "zns") {
            return problem(path + "/via", "must be uid or zns");
        }
        const json data = mapping.value("data", json::object());
        if (!data.is_object()) {
            return problem(path + "/data", "must be an object of parameter: Mustache text");
        }
        for (const auto& [name, source] : data.items()) {
            if (!source.is_string()) {
                return problem(path + "/data/" + name, "must be a string");
            }
            auto parsed = templates::Template::parse(source.get<std::string>());
            if (auto* error = std::get_if<templates::ParseError>(&parsed)) {
                return problem(path + "/data/" + name, "does not parse: " + error->message);
            }
        }
    }
    return std::nullopt;
}

} // namespace

const std::vector<std::string>& editable_setting_keys() {
    static const std::vector<std::string> keys = {k_stage_thresholds_key, k_stage_tags_key,     k_send_policy_key,
                                                  k_shop_profile_key,     k_zalo_templates_key, k_message_prices_key,
                                                  k_attribution_key};
    return keys;
}

bool is_editable_setting(const std::string& key) {
    const auto& keys = editable_setting_keys();
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::optional<common::InputError> validate_setting(const std::string& key, const json& value) {
    if (!value.is_object()) {
        return problem("", "must be a JSON object");
    }
    if (key == k_stage_thresholds_key) {
        return whole_numbers(
            value, {"frequent_min_orders", "frequent_window_days", "dormant_after_days", "dormant_quiet_days"}, 1,
            3650);
    }
    if (key == k_stage_tags_key) {
        std::vector<std::string> stages;
        for (Stage stage : k_all_stages) {
            stages.emplace_back(stage_id(stage));
        }
        return validate_strings(value, stages, true);
    }
    if (key == k_send_policy_key) {
        return validate_send_policy(value);
    }
    if (key == k_shop_profile_key) {
        return validate_strings(value, {}, false);
    }
    if (key == k_zalo_templates_key) {
        return validate_zalo_templates(value);
    }
    if (key == k_message_prices_key) {
        const json keys = message_prices_json(MessagePrices{});
        std::vector<std::string> names;
        for (const auto& [name, price] : keys.items()) {
            names.push_back(name);
        }
        return whole_numbers(value, names, 0, 1000000);
    }
    if (key == k_attribution_key) {
        return whole_numbers(value, {"window_days"}, 1, 90);
    }
    return problem("", "is not a setting the console edits");
}

json effective_settings(store::SettingsStore& settings) {
    const StageSettings stages = load_stage_settings(settings);
    json tags = json::object();
    for (Stage stage : k_all_stages) {
        tags[stage_id(stage)] = stages.tag_for(stage);
    }
    const SendPolicySettings policy = load_send_policy(settings);
    return {{k_stage_thresholds_key,
             {{"frequent_min_orders", stages.thresholds.frequent_min_orders},
              {"frequent_window_days", stages.thresholds.frequent_window_days},
              {"dormant_after_days", stages.thresholds.dormant_after_days},
              {"dormant_quiet_days", stages.thresholds.dormant_quiet_days}}},
            {k_stage_tags_key, tags},
            {k_send_policy_key,
             {{"daily_cap", policy.daily_cap},
              {"weekly_cap", policy.weekly_cap},
              {"quiet_hours",
               {{"start", clock_text(policy.quiet_start_minute)}, {"end", clock_text(policy.quiet_end_minute)}}},
              {"handoff_minutes", policy.handoff_minutes}}},
            {k_shop_profile_key, load_shop_profile(settings)},
            {k_zalo_templates_key, settings.get_object(k_zalo_templates_key)},
            {k_message_prices_key, message_prices_json(load_message_prices(settings))},
            {k_attribution_key, {{"window_days", load_attribution_days(settings)}}}};
}

} // namespace pheu::bot
