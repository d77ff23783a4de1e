#pragma once
// What a message is for, as the platforms' rules care: Messenger lets a message out of its
// 24-hour window only with a tag that names such a purpose. Decided with the message's
// trigger (bot/trigger.h, Trigger::purpose); read by the channels.
namespace pheu::bot {

enum class MessagePurpose {
    conversation,        // an answer, a greeting, a journey step: inside the window only
    order_update,        // about an order the shopper placed or cancelled
    subscription_update, // confirms a change the shopper made to what they receive
};

} // namespace pheu::bot
