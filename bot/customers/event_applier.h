#pragma once
// Applies one normalised event to the customer model, inside the caller's transaction:
// finds (or creates, or merges) the customer, records the facts the event carries, and
// recomputes the stage.
#include "bot/inbound_event.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/audience_store.h"
#include "store/catalog_store.h"
#include "store/customer_store.h"
#include "store/order_store.h"
#include "store/voucher_store.h"

namespace pheu::bot {

class StageKeeper;

// The customer an event is about, as the applier found them.
struct EventCustomer {
    std::int64_t id = 0;
    // Whether they had a chat contact before this event (store/chat_contact.h). Known for
    // chat contacts only (is_chat_contact), false otherwise; read with the identity lookup
    // where it can be, so it costs no statement of its own.
    bool chatted_before = false;
};

// The (channel, id) pairs an event names its customer by, strongest first.
std::vector<std::pair<std::string, std::string>> identities_of(const CustomerRef& customer);

class EventApplier {
public:
    EventApplier(store::sql::Connection& db, StageKeeper& stages);

    // Returns the customer the event is about, or nullopt for events about nobody in
    // particular (a tag change naming many users, a ZNS receipt to a phone hash).
    std::optional<EventCustomer> apply(const InboundEvent& event, std::int64_t now_ms);

private:
    EventCustomer resolve_customer(const InboundEvent& event, std::int64_t now_ms);
    void record_facts(std::int64_t customer_id, const InboundEvent& event, std::int64_t now_ms);
    // Zalo's add_user_to_tag, remove_user_from_tag and remove_tag: the tags staff file
    // followers under in the OA, kept for segments.
    void apply_zalo_tags(const InboundEvent& event);

    store::CustomerStore m_customers;
    store::OrderStore m_orders;
    store::AudienceStore m_audience;
    store::CatalogStore m_catalog;
    store::VoucherStore m_vouchers;
    StageKeeper& m_stages;
};

} // namespace pheu::bot
