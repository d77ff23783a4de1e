#pragma once
// "Has this customer written, tapped or followed before?": whether a chat is a first contact
// (answered with the shop's greeting). Read from the events already processed for the
// customer, so the event being processed, not yet marked, is never among them.
#include <string>

namespace pheu::store {

// An SQL expression, true when the customer `customer_id_sql` names had a chat contact.
inline std::string chat_contact_before(const std::string& customer_id_sql) {
    return "EXISTS (SELECT 1 FROM inbox_events WHERE customer_id = " + customer_id_sql +
           " AND kind IN ('message', 'postback', 'follow'))";
}

} // namespace pheu::store
