#pragma once
// The one event type every source is normalised into: who the customer is, which account,
// when, what kind, what content. The handlers produce it; the worker consumes it.
#include "bot/channel.h"
#include "bot/event_source.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace pheu::bot {

// Every way a customer can be named by an event. Empty means "not given".
struct CustomerRef {
    std::string zalo_user_id{};     // OA-scoped Zalo user id
    std::string zalo_app_user_id{}; // app-scoped Zalo id (user_id_by_app, Mini App)
    std::string zalo_anonymous_id{};
    std::string messenger_psid{};
    std::string phone{}; // always 84… form
    std::string external_id{};
    std::string name{};

    bool empty() const;
};

// Normalised kinds. Platform-specific names stay in `InboundEvent::name`.
namespace kind {
inline constexpr const char* message = "message";
inline constexpr const char* follow = "follow";
inline constexpr const char* unfollow = "unfollow";
inline constexpr const char* info_submitted = "info_submitted";
inline constexpr const char* chat_opened = "chat_opened";
inline constexpr const char* tag_changed = "tag_changed";
inline constexpr const char* delivered = "delivered";
inline constexpr const char* seen = "seen";
inline constexpr const char* echo = "echo";
inline constexpr const char* reaction = "reaction";
inline constexpr const char* shop_order = "shop_order";
inline constexpr const char* postback = "postback";
inline constexpr const char* referral = "referral";
inline constexpr const char* unknown = "unknown";
} // namespace kind

struct InboundEvent {
    EventSource source = EventSource::events_api;
    std::string account_id; // OA id, page id, or empty for the shop's own events
    std::string name;       // the platform's own name: event_name, messaging field, API type
    std::string kind;       // normalised kind (see `kind`), or the events API type
    // True when the customer did something (the event counts as an interaction for stages
    // and reply windows); false for receipts, echoes of the shop's own sends, tag changes.
    bool interaction = false;
    CustomerRef customer;
    std::int64_t occurred_at_ms = 0;
    std::string dedupe_key;
    nlohmann::json content = nlohmann::json::object();
};

// Rows of a shop's imported history (POST /api/v1/import): recorded, never answered.
inline bool is_imported(const InboundEvent& event) {
    return event.source == EventSource::imported;
}

// Whether the event opens (or keeps open) the platform's window for pheu to reply on
// `channel` ("zalo" or "messenger"): only what the shopper did on that platform. A POS
// purchase that names a PSID is no Messenger conversation, and Meta's 24-hour window opens
// only on a message, a postback (button, quick reply) or a referral.
bool opens_reply_window(const InboundEvent& event, Channel channel);

// A chat contact: the customer wrote, tapped a button or followed (not a receipt, not the
// shop's own event). The first one is answered with the shop's greeting.
bool is_chat_contact(const InboundEvent& event);

// The event as the inbox stores it: compact JSON, written straight from the struct (building
// a DOM first and walking it was a seventh of the HTTP loop's instructions per webhook).
std::string event_json_text(const InboundEvent& event);
// Reads what `event_json_text` wrote, once parsed. Throws nlohmann::json::exception on a malformed document,
// which can only come from a broken invariant (the inbox holds what we wrote).
InboundEvent inbound_event_from_json(const nlohmann::json& document);

} // namespace pheu::bot
