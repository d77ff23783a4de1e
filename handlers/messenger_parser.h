#pragma once
// Turns a Messenger webhook body into normalised events, one per messaging item
// (docs/platforms.md, "Facebook Messenger").
#include "handlers/parsed_event.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pheu::handlers {

// The page the body is for: entry[0].id, whose app secret signs the body.
std::string messenger_page_id(const nlohmann::json& body);

// Every messaging item of every entry, in order. Never throws; items that are not objects
// are skipped.
std::vector<ParsedEvent> parse_messenger_events(const nlohmann::json& body, std::int64_t received_ms);

} // namespace pheu::handlers
