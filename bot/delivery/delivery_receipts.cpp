#include "bot/delivery/delivery_receipts.h"

#include "bot/channels/messenger_channel.h"
#include "bot/channels/zalo_oa_channel.h"
#include "common/json_fields.h"
#include "store/delivery_store.h"

#include <vector>

namespace pheu::bot {

using nlohmann::json;

namespace {

std::vector<std::string> strings_in(const json& content, const char* key) {
    std::vector<std::string> values;
    auto found = content.find(key);
    if (found == content.end() || !found->is_array()) {
        return values;
    }
    for (const json& value : *found) {
        if (value.is_string()) {
            values.push_back(value.get<std::string>());
        }
    }
    return values;
}

std::int64_t watermark_of(const InboundEvent& event) {
    auto found = event.content.find("watermark");
    return found != event.content.end() && found->is_number_integer() && found->get<std::int64_t>() > 0
               ? found->get<std::int64_t>()
               : 0;
}

} // namespace

DeliveryReceipts::DeliveryReceipts(store::sql::Connection& db) : m_store(db) {}

bool DeliveryReceipts::apply_echo(const InboundEvent& event) {
    if (chat_channel_of(event.source) == Channel::messenger) {
        const std::string mid = common::string_field(event.content, "mid");
        const auto id = channels::outbox_id_of_metadata(common::string_field(event.content, "metadata"));
        if (!id) {
            return false;
        }
        m_store.settle_doubt_by_id(*id, mid, event.occurred_at_ms);
        m_store.note_echo(channel_id(Channel::messenger), mid, event.occurred_at_ms);
        return true;
    }
    const std::string msg_id = common::string_field(event.content, "msg_id");
    if (!msg_id.empty() && m_store.note_echo(channel_id(Channel::zalo), msg_id, event.occurred_at_ms)) {
        return true;
    }
    if (!common::string_field(event.content, "admin_id").empty()) {
        return false; // written by a person in the OA chat tool
    }
    // Zalo echoes carry no metadata: a message whose send was in doubt is known by its
    // recipient and its exact text.
    return m_store.settle_doubt_by_text(channel_id(Channel::zalo), event.account_id, event.customer.zalo_user_id,
                                        common::string_field(event.content, "text"), msg_id, event.occurred_at_ms);
}

bool DeliveryReceipts::apply(const InboundEvent& event) {
    if (event.kind == kind::echo) {
        return apply_echo(event);
    }
    if (event.kind != kind::delivered && event.kind != kind::seen) {
        return false;
    }
    const bool delivered = event.kind == kind::delivered;
    // Receipts come from the chat platforms only: anything else is read as Zalo's.
    const Channel channel = chat_channel_of(event.source).value_or(Channel::zalo);
    const auto ids = strings_in(event.content, channel == Channel::messenger ? "mids" : "msg_ids");
    if (delivered) {
        m_store.mark_delivered(channel_id(channel), ids, event.occurred_at_ms);
    } else {
        m_store.mark_seen(channel_id(channel), ids, event.occurred_at_ms);
    }
    if (const auto tracked = channels::outbox_id_of_tracking_id(common::string_field(event.content, "tracking_id"))) {
        m_store.mark_delivered_by_id(*tracked, event.occurred_at_ms);
    }
    if (const std::int64_t watermark = watermark_of(event); watermark > 0 && channel == Channel::messenger) {
        if (delivered) {
            m_store.mark_delivered_until(channel_id(channel), event.customer.messenger_psid, watermark);
        } else {
            m_store.mark_seen_until(channel_id(channel), event.customer.messenger_psid, watermark);
        }
    }
    return false;
}

} // namespace pheu::bot
