#pragma once
// Applies one normalised event to the customer model, inside the caller's transaction.
#include "bot/inbound_event.h"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/customer_store.h"

namespace pheu::bot {

// The (channel, id) pairs an event names its customer by, strongest first.
std::vector<std::pair<std::string, std::string>> identities_of(const CustomerRef& customer);

class EventApplier {
public:
    explicit EventApplier(SQLite::Database& db);

    // Finds or creates the customer the event is about and records what it says. Returns
    // the customer, or nullopt for events about nobody in particular (a tag change naming
    // many users, a ZNS receipt addressed to a phone hash).
    std::optional<std::int64_t> apply(const InboundEvent& event, std::int64_t now_ms);

private:
    std::int64_t resolve_customer(const InboundEvent& event, std::int64_t now_ms);

    store::CustomerStore m_customers;
};

} // namespace pheu::bot
