#pragma once
// What the messages of a period earned, per trigger (a rule's, a journey step's, a
// broadcast's): sent, delivered, clicked, the purchases attributed to them, and how their
// control group (customers held out) bought in the same window.
//
// Attribution: a purchase placed within the window after a message was delivered (or sent,
// where no receipt came; recorded, in the sandbox) or after a click on one of its links is
// the last such message's. Treatment and control compare customers: those sent the message
// and those held out of it, each counted as converted when they placed an order within the
// window after it.
#include "store/statement_cache.h"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pheu::store {

struct MessageResultRow {
    std::string trigger;
    std::int64_t sent = 0;
    std::int64_t delivered = 0;
    std::int64_t clicked = 0;                  // messages with a click on one of their links
    std::int64_t converted = 0;                // purchases attributed
    std::int64_t revenue = 0;                  // their totals, VND
    std::int64_t sent_customers_converted = 0; // of the customers sent it, those who bought in the window
    std::int64_t held_out = 0;
    std::int64_t control_converted = 0; // of the customers held out, those who bought in the window
};

class MessageResults {
public:
    explicit MessageResults(SQLite::Database& db);

    // Messages written in [from_ms, to_ms), by trigger.
    std::vector<MessageResultRow> by_trigger(std::int64_t from_ms, std::int64_t to_ms, std::int64_t window_ms);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
