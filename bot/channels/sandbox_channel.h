#pragma once
// The sandbox transport: records and logs what would be sent, never calls a platform.
#include "bot/channels/channel.h"

namespace pheu::bot::channels {

class SandboxChannel final : public Channel {
public:
    SendResult deliver(const OutboundItem& item, std::int64_t now_ms) override;
};

} // namespace pheu::bot::channels
