#pragma once
// Where an event came from: a chat platform (whose source id is its channel's id), the shop's
// own systems through the events API, its Zalo Mini App, or a history the shop imported.
// Stored as its id: in the inbox, as a customer's first source, as a metrics label.
#include "bot/channel.h"
#include "common/enum_ids.h"

#include <optional>
#include <string_view>

namespace pheu::bot {

enum class EventSource { zalo, messenger, events_api, miniapp, imported };

inline constexpr common::EnumIds<EventSource, 5> k_event_source_ids{{{EventSource::zalo, "zalo"},
                                                                     {EventSource::messenger, "messenger"},
                                                                     {EventSource::events_api, "events_api"},
                                                                     {EventSource::miniapp, "miniapp"},
                                                                     {EventSource::imported, "import"}}};

constexpr const char* event_source_id(EventSource source) {
    return common::id_of(k_event_source_ids, source);
}

constexpr std::optional<EventSource> parse_event_source(std::string_view id) {
    return common::parse_id(k_event_source_ids, id);
}

// The platform a chat came through: none for the shop's own events (a purchase that names
// a Messenger PSID is no Messenger conversation).
constexpr std::optional<Channel> chat_channel_of(EventSource source) {
    switch (source) {
    case EventSource::zalo:
        return Channel::zalo;
    case EventSource::messenger:
        return Channel::messenger;
    case EventSource::events_api:
    case EventSource::miniapp:
    case EventSource::imported:
        break;
    }
    return std::nullopt;
}

} // namespace pheu::bot
