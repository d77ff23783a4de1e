#pragma once
// Validation and normalisation of the shop's own events (POST /api/v1/events): all or
// nothing, with the JSON pointer of the first bad field.
#include "common/input_error.h"
#include "handlers/ingress/parsed_event.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::handlers {

inline constexpr std::size_t k_max_events_per_request = 1000;

struct EventsParseResult {
    std::vector<ParsedEvent> events;
    std::optional<common::InputError> error; // path e.g. /events/3/properties/order_id
};

// Accepts one event object or {"events":[…]} with 1 to 1000 events. On any error the
// result holds only the first one, and no events. An event dated more than 10 minutes after
// `now_ms` is an error.
EventsParseResult parse_events_request(const nlohmann::json& body, std::int64_t now_ms);

// The same from the shop's Zalo Mini App (POST /api/v1/miniapp/events): the customer is the
// shopper Zalo verified, never what the body says (a "customer" field is refused), two more
// types are known (miniapp_opened, membership_joined), and event ids are the shopper's own.
EventsParseResult parse_miniapp_events_request(const nlohmann::json& body, const bot::CustomerRef& shopper,
                                               std::int64_t now_ms);

} // namespace pheu::handlers
