#pragma once
// The four retail stages (docs/decisions.md) and their ids.
#include <optional>
#include <string_view>

namespace pheu::bot {

enum class Stage { new_lead, new_customer, frequent_buyer, dormant };

inline constexpr Stage k_all_stages[] = {Stage::new_lead, Stage::new_customer, Stage::frequent_buyer, Stage::dormant};

// The contract's id: new_lead, new_customer, frequent_buyer, dormant.
const char* stage_id(Stage stage);
std::optional<Stage> parse_stage(std::string_view id);
// The shop-facing Vietnamese name, also the default Zalo tag: "Lead mới", …
const char* stage_label_vi(Stage stage);

} // namespace pheu::bot
