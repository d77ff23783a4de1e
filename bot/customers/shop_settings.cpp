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

StageSettings load_stage_settings(store::SettingsStore& store) {
    StageSettings settings = default_stage_settings();
    const auto thresholds = store.get_object(k_stage_thresholds_key);
    read_positive(thresholds, "frequent_min_orders", settings.thresholds.frequent_min_orders);
    read_positive(thresholds, "frequent_window_days", settings.thresholds.frequent_window_days);
    read_positive(thresholds, "dormant_after_days", settings.thresholds.dormant_after_days);
    read_positive(thresholds, "dormant_quiet_days", settings.thresholds.dormant_quiet_days);
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
