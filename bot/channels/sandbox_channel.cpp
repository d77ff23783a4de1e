#include "bot/channels/sandbox_channel.h"

#include <spdlog/spdlog.h>

namespace pheu::bot::channels {

SendResult SandboxChannel::deliver(const OutboundItem& item, std::int64_t /*now_ms*/) {
    // The text is the shop's own template output, never a secret; ids stay out of the log.
    spdlog::info("sandbox: would send {} #{} on account {}", store::outbox_kind_id(item.kind), item.id,
                 item.account_id);
    SendResult result;
    result.via = "sandbox";
    return result;
}

} // namespace pheu::bot::channels
