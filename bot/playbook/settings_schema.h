#pragma once
// The shop settings the console edits, and the shape each must have. Validation is pure: a
// proposed value in, the first problem (with the JSON pointer of the field) out, so nothing
// malformed is ever stored and the readers' defaults stay a safety net only.
// The keys and their shapes:
// - stage_thresholds: {"frequent_min_orders":3, "frequent_window_days":180,
//   "dormant_after_days":90, "dormant_quiet_days":30}
// - stage_tags: {"new_lead":"Lead mới", "new_customer":…, "frequent_buyer":…, "dormant":…}
// - send_policy: {"daily_cap":2, "weekly_cap":5, "quiet_hours":{"start":"22:00","end":"06:00"},
//   "handoff_minutes":60}
// - shop: {"name", "hours", "address", "hotline", "website", "community_url", "shipping",
//   "payment", "returns", "size_guide_url"}, strings
// - zalo_templates: {"<template id>": {"template_id":"…", "via":"uid"|"zns",
//   "data":{"<param>":"<Mustache>"}}}
#include "common/input_error.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pheu::store {
class SettingsStore;
}

namespace pheu::bot {

const std::vector<std::string>& editable_setting_keys();
bool is_editable_setting(const std::string& key);

// nullopt when `value` may be stored under `key`; else the problem, its path a JSON pointer
// inside the value ("" for the value itself).
std::optional<common::InputError> validate_setting(const std::string& key, const nlohmann::json& value);

// Every editable setting as the running pheu reads it: stored values over the defaults.
nlohmann::json effective_settings(store::SettingsStore& settings);

} // namespace pheu::bot
