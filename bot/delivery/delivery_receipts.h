#pragma once
// What the platforms report about pheu's own sends, applied to the outbox inside the
// worker's transaction: an echo (Zalo oa_send_*, a Messenger echo) of a message pheu sent
// is matched to its row, settling a message whose send was in doubt; Zalo's
// user_received_message / user_seen_message, ZNS receipts and Messenger's delivery and read
// watermarks set its delivered and seen times.
#include "bot/inbound_event.h"
#include "store/delivery_store.h"

#include "store/sql/connection.h"

namespace pheu::bot {

class DeliveryReceipts {
public:
    explicit DeliveryReceipts(store::sql::Connection& db);

    // For echoes: true when the echoed message is one pheu sent (so it is never taken for
    // shop staff writing). Receipts return false.
    bool apply(const InboundEvent& event);

private:
    bool apply_echo(const InboundEvent& event);
    store::DeliveryStore m_store; // its statements prepared once, on the worker's connection
};

} // namespace pheu::bot
