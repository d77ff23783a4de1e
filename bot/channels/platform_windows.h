#pragma once
// How long after a person's last message each platform lets a business write to them: facts
// of the platforms (docs/platforms.md), read by the send policy and the channel clients.
#include <cstdint>

namespace pheu::bot {

// Messenger allows messages only in the 24 hours after the person's last message; Zalo's own
// 7-day window is the platform's to enforce, since an OA may fall back to ZNS there.
inline constexpr std::int64_t k_messenger_window_ms = 24LL * 60 * 60 * 1000;
// Zalo accepts a consultation message only within 7 days of the person's last interaction
// with the OA; outside it, live delivery falls back to the shop's mapped Zalo template or the
// message is not delivered (Zalo answers -230).
inline constexpr std::int64_t k_zalo_window_ms = 7LL * 24 * 60 * 60 * 1000;

} // namespace pheu::bot
