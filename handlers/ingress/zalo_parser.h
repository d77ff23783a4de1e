#pragma once
// Turns a Zalo OA webhook body into pheu's normalised event (docs/platforms.md, "Webhooks").
#include "bot/inbound_event.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace pheu::handlers {

// Where the body says which account it is for: its app_id, else the OA id it carries
// (top-level oa_id, else the OA side of sender/recipient by the direction rule).
struct ZaloAccountKey {
    std::string app_id;
    std::string oa_id;
};
ZaloAccountKey zalo_account_key(const nlohmann::json& body);

// True for events the OA sends or that report on the OA's messages, where sender is the OA
// and recipient the user: oa_*, user_received_message, user_seen_message.
bool zalo_event_is_from_oa(const std::string& event_name);

// Normalises any body that has an event_name. Unknown names become kind "unknown" and are
// kept. `received_ms` stands in for a missing or unreadable timestamp. Never throws.
bot::InboundEvent parse_zalo_event(const nlohmann::json& body, std::int64_t received_ms);

} // namespace pheu::handlers
