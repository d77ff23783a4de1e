#include "handlers/admin/staff_reply_handler.h"

#include "bot/playbook/message_composer.h"
#include "bot/playbook/messaging_settings.h"
#include "bot/playbook/send_policy.h"
#include "bot/trigger.h"
#include "common/text_fold.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/audience_store.h"
#include "store/outbox_store.h"
#include "store/settings_store.h"
#include "templates/vn_format.h"

#include <nlohmann/json.hpp>

#include <atomic>

namespace pheu::handlers {

using nlohmann::json;

namespace {

// Two replies to one shopper in the same millisecond are two messages.
std::atomic<std::uint64_t> g_replies{0};

} // namespace

StaffReplyHandler::StaffReplyHandler(store::AdminWriter& writer, std::function<std::int64_t()> clock)
    : m_writer(writer), m_clock(std::move(clock)) {}

HttpReply StaffReplyHandler::reply(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        const auto text = body.find("text");
        const std::string message =
            text != body.end() && text->is_string() ? common::trimmed(text->get<std::string>()) : "";
        if (message.empty()) {
            return json_error(400, "invalid_field", "text is required: what to send the shopper.", "/text");
        }
        if (templates::utf8_length(message) > bot::k_max_text_characters) {
            return json_error(400, "invalid_field", "text is longer than the 2,000 characters a message holds.",
                              "/text");
        }
        const std::int64_t now = m_clock();
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            const auto customer = customer_named(request, db);
            if (!customer) {
                return json_error(404, "not_found", "No customer has this id.");
            }
            store::AudienceStore audiences(db);
            const store::AudienceRow audience = audiences.audience(*customer);
            const auto channel = bot::staff_reply_channel(bot::recipient_state_of(audience), now);
            if (!channel) {
                return json_error(409, "no_open_channel",
                                  "No platform takes a message to this shopper now: Zalo only within 7 days of their "
                                  "last interaction with the OA, Messenger within 24 hours.");
            }
            const auto& identity = *channel == bot::Channel::zalo ? audience.zalo : audience.messenger;
            store::OutboxItem item;
            item.customer_id = *customer;
            item.kind = store::OutboxKind::message;
            item.channel = bot::channel_id(*channel);
            item.account_id = identity ? identity->account_id : "";
            item.recipient = identity ? identity->external_id : "";
            item.idempotency_key = bot::Trigger::staff_reply().text() + ":" + std::to_string(*customer) + ":" +
                                   std::to_string(now) + ":" + std::to_string(++g_replies);
            item.status = store::OutboxStatus::queued;
            item.trigger = bot::Trigger::staff_reply().text();
            item.text = message;
            item.promotional = false;
            store::OutboxStore(db).enqueue(item, now);
            store::SettingsStore settings(db);
            audiences.silence_until(*customer, now + bot::load_send_policy(settings).handoff_minutes * 60'000LL);
            audit(db, request, "customer.reply", std::to_string(*customer),
                  {{"channel", item.channel}, {"characters", templates::utf8_length(message)}}, now);
            return ok_json(
                {{"id", item.idempotency_key}, {"status", "queued"}, {"channel", item.channel}, {"text", message}},
                201);
        });
    });
}

} // namespace pheu::handlers
