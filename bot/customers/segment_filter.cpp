#include "bot/customers/segment_filter.h"

#include "bot/channels/platform_windows.h"
#include "bot/stage.h"
#include "bot/customers/stage_engine.h"
#include "common/city.h"
#include "common/gender.h"
#include "common/input_error.h"

#include <limits>

namespace pheu::bot {

using nlohmann::json;

namespace {

[[noreturn]] void reject(const std::string& path, const std::string& message) {
    throw common::InputRejected(common::InputError{.code = "invalid_filter", .message = message, .path = path});
}

// The biggest number a range takes: far past any shop's takings, small enough that day
// counts turned into milliseconds never overflow.
constexpr std::int64_t k_largest = std::numeric_limits<std::int64_t>::max() / (1LL << 30);

store::NumberRange parse_range(const json& value, const std::string& path, const std::string& name) {
    if (!value.is_object()) {
        reject(path, name + " must be a range like {\"min\": 2, \"max\": 5}; either bound may be left out.");
    }
    store::NumberRange range;
    for (const auto& [key, bound] : value.items()) {
        if (key != "min" && key != "max") {
            reject(path + "/" + key, name + " has only min and max.");
        }
        if (bound.is_null()) {
            continue;
        }
        if (!bound.is_number_integer() || bound.get<std::int64_t>() < 0 || bound.get<std::int64_t>() > k_largest) {
            reject(path + "/" + key, name + " " + key + " must be a whole number, 0 or more.");
        }
        (key == "min" ? range.min : range.max) = bound.get<std::int64_t>();
    }
    if (range.min && range.max && *range.min > *range.max) {
        reject(path, name + ": min is more than max, so no customer could match.");
    }
    return range;
}

// A string or a non-empty array of strings.
std::vector<std::string> parse_names(const json& value, const std::string& path, const std::string& name,
                                     const char* what) {
    std::vector<std::string> names;
    if (value.is_string()) {
        names.push_back(value.get<std::string>());
    } else if (value.is_array() && !value.empty()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (!value[i].is_string()) {
                reject(path + "/" + std::to_string(i), name + " must be " + what + ", as text.");
            }
            names.push_back(value[i].get<std::string>());
        }
    } else {
        reject(path, name + " must be " + what + " or a list of them.");
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i].empty()) {
            reject(value.is_array() ? path + "/" + std::to_string(i) : path, name + " must not be empty.");
        }
    }
    return names;
}

store::Temperature parse_temperature(const std::string& name, const std::string& path) {
    if (name == "hot") {
        return store::Temperature::hot;
    }
    if (name == "warm") {
        return store::Temperature::warm;
    }
    if (name != "cold") {
        reject(path, "temperature is hot, warm or cold (new leads only).");
    }
    return store::Temperature::cold;
}

store::Reach parse_reach(const json& value, const std::string& path) {
    const std::string reach = value.is_string() ? value.get<std::string>() : std::string();
    if (reach == "zalo") {
        return store::Reach::zalo;
    }
    if (reach == "messenger") {
        return store::Reach::messenger;
    }
    if (reach == "zns") {
        return store::Reach::zns;
    }
    if (reach == "any") {
        return store::Reach::any;
    }
    reject(path, "reachable must be zalo (follows the OA), messenger (wrote in the last 24 hours), zns (has a phone "
                 "number) or any.");
}

} // namespace

store::SegmentFilter parse_segment_filter(const json& filter, const std::string& path) {
    if (!filter.is_object()) {
        reject(path, "filter must be an object of conditions, e.g. {\"stage\": \"frequent_buyer\"}; {} is everyone.");
    }
    store::SegmentFilter parsed;
    for (const auto& [key, value] : filter.items()) {
        const std::string at = path + "/" + key;
        if (key == "stage") {
            parsed.stages = parse_names(value, at, key, "a stage id");
            for (std::size_t i = 0; i < parsed.stages.size(); ++i) {
                if (!parse_stage(parsed.stages[i])) {
                    reject(value.is_array() ? at + "/" + std::to_string(i) : at,
                           "a stage is new_lead, new_customer, frequent_buyer or dormant.");
                }
            }
        } else if (key == "orders_count") {
            parsed.orders_count = parse_range(value, at, key);
        } else if (key == "total_spent") {
            parsed.total_spent = parse_range(value, at, key);
        } else if (key == "last_order_days_ago") {
            parsed.last_order_days_ago = parse_range(value, at, key);
        } else if (key == "last_interaction_days_ago") {
            parsed.last_interaction_days_ago = parse_range(value, at, key);
        } else if (key == "first_seen_days_ago") {
            parsed.first_seen_days_ago = parse_range(value, at, key);
        } else if (key == "bought_category") {
            parsed.bought_categories = parse_names(value, at, key, "a product category");
        } else if (key == "bought_sku") {
            parsed.bought_skus = parse_names(value, at, key, "a product's SKU");
        } else if (key == "viewed_category") {
            parsed.viewed_categories = parse_names(value, at, key, "a product category");
        } else if (key == "viewed_sku") {
            parsed.viewed_skus = parse_names(value, at, key, "a product's SKU");
        } else if (key == "gender") {
            const auto gender = value.is_string() ? common::parse_gender(value.get<std::string>()) : std::nullopt;
            if (!gender) {
                reject(at, "gender must be male or female (nam or nữ).");
            }
            parsed.gender = common::gender_id(*gender);
        } else if (key == "temperature") {
            for (const auto& name : parse_names(value, at, key, "hot, warm or cold")) {
                parsed.temperatures.push_back(parse_temperature(name, at));
            }
            parsed.temperature_bounds = {.hot_within_ms = k_hot_within_days * k_day_ms,
                                         .hot_min_interactions = k_hot_min_interactions,
                                         .warm_within_ms = k_warm_within_days * k_day_ms};
        } else if (key == "voucher_held") {
            parsed.vouchers_held = parse_names(value, at, key, "a voucher campaign's id");
        } else if (key == "voucher_redeemed") {
            parsed.vouchers_redeemed = parse_names(value, at, key, "a voucher campaign's id");
        } else if (key == "opted_in") {
            if (!value.is_boolean()) {
                reject(at, "opted_in must be true (only customers who gave their consent explicitly) or false.");
            }
            parsed.opted_in = value.get<bool>();
        } else if (key == "zalo_tag") {
            parsed.zalo_tags = parse_names(value, at, key, "a tag of the OA");
        } else if (key == "city") {
            const std::string city = value.is_string() ? common::city_key(value.get<std::string>()) : std::string();
            if (city.empty()) {
                reject(at, "city must be a city's name, e.g. \"Hà Nội\" or \"TP.HCM\".");
            }
            parsed.city_key = city;
        } else if (key == "birthday_month") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > 12) {
                reject(at, "birthday_month must be a month, 1 to 12.");
            }
            parsed.birthday_month = value.get<int>();
        } else if (key == "reachable") {
            parsed.reachable = parse_reach(value, at);
        } else {
            reject(at, key + " is not a condition pheu knows. Conditions: stage, temperature, orders_count, "
                             "total_spent, last_order_days_ago, last_interaction_days_ago, first_seen_days_ago, "
                             "bought_category, bought_sku, viewed_category, viewed_sku, city, birthday_month, gender, "
                             "voucher_held, voucher_redeemed, opted_in, zalo_tag, reachable.");
        }
    }
    return parsed;
}

store::SegmentClock segment_clock(std::int64_t now_ms) {
    return store::SegmentClock{.now_ms = now_ms, .messenger_window_ms = k_messenger_window_ms};
}

} // namespace pheu::bot
