#pragma once
// Compact JSON text, the same bytes as nlohmann's `dump(-1, ' ', false, replace)`, written
// faster. nlohmann runs every byte of every string through a UTF-8 decoder, which made
// serialising an event a fifth of the HTTP loop's work per webhook. Here valid UTF-8 is
// copied in runs and only the characters JSON must escape are looked at; a string holding
// invalid UTF-8 (rare: parsed input is already valid) is left to nlohmann, so its bytes are
// replaced exactly as before.
#include <nlohmann/json.hpp>

#include <string>

namespace pheu::bot {

std::string compact_json_text(const nlohmann::json& value);

} // namespace pheu::bot
