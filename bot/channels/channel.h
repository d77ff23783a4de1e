#pragma once
// One outbound platform behind one small interface: the Zalo OA client, the Messenger
// client and the sandbox transport all deliver an OutboundItem and say what happened.
#include "store/outbox_kind.h"

#include "bot/channels/send_result.h"
#include "bot/message_purpose.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::bot::channels {

// How a Zalo message travels: the consultation (CS) API inside the 7-day window, else a
// template the shop registered with Zalo, by user id or (ZNS) by phone.
enum class ZaloRoute { cs, template_uid, zns };

struct OutboundItem {
    std::int64_t id = 0; // the outbox row; Messenger metadata and ZNS tracking ids carry it
    store::OutboxKind kind = store::OutboxKind::message;
    std::string account_id; // OA id or page id
    std::string recipient;  // Zalo user id or Messenger PSID
    std::string text;
    nlohmann::json payload = nlohmann::json::object(); // buttons, image_url, tag_name, zalo_template…
    bool promotional = false;
    MessagePurpose purpose = MessagePurpose::conversation;
    // Messenger: the customer's last message, which opens the 24-hour window.
    std::optional<std::int64_t> last_interaction_at;
    std::string phone; // 84…, for ZNS
    ZaloRoute route = ZaloRoute::cs;
};

class Channel {
public:
    virtual ~Channel() = default;
    // Makes the platform call(s) for one item. Thread-safe: the dispatcher calls it from
    // several sender threads at once.
    virtual SendResult deliver(const OutboundItem& item, std::int64_t now_ms) = 0;
};

} // namespace pheu::bot::channels
