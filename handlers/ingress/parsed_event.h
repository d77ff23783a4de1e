#pragma once
#include "bot/inbound_event.h"

#include <string>

namespace pheu::handlers {

// A normalised event with the platform's own text for it (the item of a batch), which the
// inbox keeps for inspection and replay.
struct ParsedEvent {
    bot::InboundEvent event;
    std::string raw;
};

} // namespace pheu::handlers
