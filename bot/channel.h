#pragma once
// The platforms a shopper chats on and pheu answers through (channels::Channel is the client
// that sends on one). Stored and configured as their ids ("zalo", "messenger"); "none" names
// no channel where a row or a rule needs a word.
#include <optional>
#include <string>
#include <string_view>

namespace pheu::bot {

enum class Channel { zalo, messenger };

inline const char* channel_id(Channel channel) {
    return channel == Channel::zalo ? "zalo" : "messenger";
}

// (An event's source is an EventSource: bot/event_source.h says which sources are channels.)
inline std::optional<Channel> parse_channel(std::string_view id) {
    if (id == "zalo") {
        return Channel::zalo;
    }
    if (id == "messenger") {
        return Channel::messenger;
    }
    return std::nullopt;
}

inline std::string channel_text(std::optional<Channel> channel) {
    return channel ? channel_id(*channel) : "none";
}

} // namespace pheu::bot
