#pragma once
// The lane a person's events are decided in. Several pheu instances on one PostgreSQL decide
// events at once, each holding the lanes of the batch in hand (store/inbox_store.h): a
// person's events share a lane, so one instance at a time decides them, in the order the
// database stored them. Pure, and stable across versions and machines: instances that
// disagree on a lane would decide one person's events side by side.
#include "bot/inbound_event.h"
#include "store/inbox_record.h"

#include <cstdint>
#include <string>

namespace pheu::bot {

// Of the ids an event names, the platform's own id of the person (Zalo, then Messenger,
// then the Mini App's), else the phone, else the shop's id; 0 for an event naming nobody.
int person_lane(const CustomerRef& customer);

// The pending inbox row of an accepted event, in its person's lane; `raw` is what the
// platform sent for it.
store::InboxRecord inbox_record_of(const InboundEvent& event, std::int64_t received_at_ms, std::string raw);

} // namespace pheu::bot
