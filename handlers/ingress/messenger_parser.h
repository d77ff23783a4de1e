#pragma once
// Turns a Messenger webhook body into normalised events, one per messaging item
// (docs/platforms.md, "Facebook Messenger").
#include "handlers/ingress/parsed_event.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pheu::handlers {

// The page the body is for: entry[0].id, whose app secret signs the body.
std::string messenger_page_id(const nlohmann::json& body);

struct MessengerEvents {
    std::vector<ParsedEvent> events;
    std::size_t refused_entries = 0; // entries of pages `accept_page` refused
};

// Every messaging item of every entry whose page `accept_page` accepts, in order. Never
// throws; items that are not objects are skipped.
MessengerEvents parse_messenger_events(const nlohmann::json& body, std::int64_t received_ms,
                                       const std::function<bool(const std::string& page_id)>& accept_page);
// Every messaging item of every entry.
std::vector<ParsedEvent> parse_messenger_events(const nlohmann::json& body, std::int64_t received_ms);

} // namespace pheu::handlers
