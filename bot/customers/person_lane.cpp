#include "bot/customers/person_lane.h"

#include "store/inbox_record.h"

#include <cstdint>
#include <string_view>
#include <utility>

namespace pheu::bot {

namespace {

// FNV-1a: std::hash may differ between builds, and every instance must agree.
std::uint32_t fnv1a(std::string_view kind, std::string_view id) {
    std::uint32_t hash = 2166136261U;
    auto mix = [&hash](std::string_view text) {
        for (const char c : text) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 16777619U;
        }
    };
    mix(kind);
    mix(":");
    mix(id);
    return hash;
}

} // namespace

int person_lane(const CustomerRef& customer) {
    const std::pair<std::string_view, const std::string*> ids[] = {
        {"zalo", &customer.zalo_user_id},
        {"messenger", &customer.messenger_psid},
        {"zalo_app", &customer.zalo_app_user_id},
        {"zalo_anonymous", &customer.zalo_anonymous_id},
        {"phone", &customer.phone},
        {"external", &customer.external_id},
    };
    for (const auto& [kind, id] : ids) {
        if (!id->empty()) {
            return static_cast<int>(fnv1a(kind, *id) % static_cast<std::uint32_t>(store::k_worker_lanes));
        }
    }
    return 0;
}

store::InboxRecord inbox_record_of(const InboundEvent& event, std::int64_t received_at_ms, std::string raw) {
    return store::InboxRecord{.dedupe_key = event.dedupe_key,
                              .source = event_source_id(event.source),
                              .account_id = event.account_id,
                              .kind = event.kind,
                              .occurred_at_ms = event.occurred_at_ms,
                              .received_at_ms = received_at_ms,
                              .state = store::InboxState::pending,
                              .event = event_json_text(event),
                              .raw = std::move(raw),
                              .lane = person_lane(event.customer)};
}

} // namespace pheu::bot
