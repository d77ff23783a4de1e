#pragma once
// Reading platform fields that arrive as strings or numbers, without ever throwing.
#include "common/json_fields.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::handlers {

// A platform id as text: strings as they are, integers as their digits. IDs run to 19
// digits, so they never pass through a double. Empty when absent or of another type.
std::string id_text(const nlohmann::json& object, const char* key);

// A plain string member, empty when absent or not a string (shared with bot/).
using common::string_field;

// Epoch milliseconds from a string of digits or an integer; nullopt otherwise.
std::optional<std::int64_t> epoch_ms_field(const nlohmann::json& object, const char* key);

// True only for a member that is the boolean true ("is_echo": "yes" is not an echo).
bool true_field(const nlohmann::json& object, const char* key);

// The member if it is an object, else an empty object (so lookups can chain safely).
const nlohmann::json& object_field(const nlohmann::json& object, const char* key);

} // namespace pheu::handlers
