#pragma once
// The shop's stage settings, read from the settings table with sensible defaults.
#include "bot/stage.h"
#include "bot/customers/stage_engine.h"

#include <nlohmann/json.hpp>

#include <array>
#include <string>

namespace pheu::store {
class SettingsStore;
}

namespace pheu::bot {

// Settings keys and their JSON shapes:
//   "stage_thresholds": {"frequent_min_orders":3,"frequent_window_days":180,
//                        "dormant_after_days":90,"dormant_quiet_days":30}
//   "stage_tags": {"new_lead":"Lead mới", …}  (the Zalo OA tag mirroring each stage)
inline constexpr const char* k_stage_thresholds_key = "stage_thresholds";
inline constexpr const char* k_stage_tags_key = "stage_tags";

struct StageSettings {
    StageThresholds thresholds;
    std::array<std::string, 4> tag_names; // indexed by Stage

    const std::string& tag_for(Stage stage) const { return tag_names[static_cast<std::size_t>(stage)]; }
};

StageSettings default_stage_settings();
// Reads stored values over the defaults; a malformed stored value keeps the default for
// that field (the admin API validates before storing).
StageSettings load_stage_settings(store::SettingsStore& settings);
// The thresholds a JSON object sets over `base` (a stored setting, or one being previewed).
StageThresholds thresholds_from_json(const nlohmann::json& object, StageThresholds base);

} // namespace pheu::bot
