#include "bot/customers/shop_settings.h"

#include "store/settings_store.h"

#include <nlohmann/json.hpp>

namespace pheu::bot {

StageSettings default_stage_settings() {
    StageSettings settings;
    for (Stage stage : k_all_stages) {
        settings.tag_names[static_cast<std::size_t>(stage)] = stage_label_vi(stage);
    }
    return settings;
}

namespace {

template <typename Number> void read_positive(const nlohmann::json& object, const char* key, Number& out) {
    auto found = object.find(key);
    if (found != object.end() && found->is_number_integer() && found->get<std::int64_t>() > 0) {
        out = static_cast<Number>(found->get<std::int64_t>());
    }
}

} // namespace

StageThresholds thresholds_from_json(const nlohmann::json& object, StageThresholds base) {
    read_positive(object, "frequent_min_orders", base.frequent_min_orders);
    read_positive(object, "frequent_window_days", base.frequent_window_days);
    read_positive(object, "dormant_after_days", base.dormant_after_days);
    read_positive(object, "dormant_quiet_days", base.dormant_quiet_days);
    return base;
}

StageSettings load_stage_settings(store::SettingsStore& store) {
    StageSettings settings = default_stage_settings();
    settings.thresholds = thresholds_from_json(store.get_object(k_stage_thresholds_key), settings.thresholds);
    const auto tags = store.get_object(k_stage_tags_key);
    for (Stage stage : k_all_stages) {
        auto found = tags.find(stage_id(stage));
        if (found != tags.end() && found->is_string() && !found->get_ref<const std::string&>().empty()) {
            settings.tag_names[static_cast<std::size_t>(stage)] = found->get<std::string>();
        }
    }
    return settings;
}

} // namespace pheu::bot
