#include "bot/event_applier.h"

namespace pheu::bot {

std::vector<std::pair<std::string, std::string>> identities_of(const CustomerRef& customer) {
    std::vector<std::pair<std::string, std::string>> identities;
    auto add = [&](const char* channel, const std::string& id) {
        if (!id.empty()) {
            identities.emplace_back(channel, id);
        }
    };
    add("zalo", customer.zalo_user_id);
    add("zalo_app", customer.zalo_app_user_id);
    add("messenger", customer.messenger_psid);
    add("external", customer.external_id);
    add("phone", customer.phone);
    add("zalo_anonymous", customer.zalo_anonymous_id);
    return identities;
}

EventApplier::EventApplier(SQLite::Database& db) : m_customers(db) {}

std::optional<std::int64_t> EventApplier::apply(const InboundEvent& event, std::int64_t now_ms) {
    if (event.customer.empty()) {
        return std::nullopt;
    }
    const std::int64_t customer_id = resolve_customer(event, now_ms);
    if (event.interaction) {
        m_customers.record_interaction(customer_id, event.occurred_at_ms);
    }
    return customer_id;
}

std::int64_t EventApplier::resolve_customer(const InboundEvent& event, std::int64_t now_ms) {
    const auto identities = identities_of(event.customer);
    std::optional<std::int64_t> customer_id;
    for (const auto& [channel, id] : identities) {
        customer_id = m_customers.find_by_identity(channel, id);
        if (customer_id) {
            break;
        }
    }
    if (!customer_id) {
        customer_id = m_customers.create(now_ms, event.occurred_at_ms, event.source);
    }
    // Identities not yet held by anyone join this customer; one already held by another
    // customer stays there (joining two customers is a merge, recorded on its own).
    for (const auto& [channel, id] : identities) {
        m_customers.add_identity(channel, id, *customer_id, now_ms);
    }
    return *customer_id;
}

} // namespace pheu::bot
