#pragma once
// What the messages of a period did, read for the messages report: counts per trigger (a
// rule's, a journey step's, a broadcast's) and template (a variant, or a rule's fallback),
// and the facts attribution decides on (bot/playbook/attribution.h): every moment a buying
// customer met a message, and the purchases that could be a message's.
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pheu::store {

// Messages written in the period with one trigger and template.
struct MessageCountRow {
    std::string trigger;
    std::string template_id;
    std::int64_t sent = 0; // accepted by the platform (or recorded by the sandbox)
    std::int64_t delivered = 0;
    std::int64_t seen = 0;
    std::int64_t clicked = 0;  // messages with a click on one of their links
    std::int64_t cost_vnd = 0; // what the sent ones cost
    // Of the customers sent it, those who bought within the window after it.
    std::int64_t sent_customers_converted = 0;
    std::int64_t held_out = 0;
    // Of the customers held out, those who bought within the window after being held out.
    std::int64_t control_converted = 0;
};

// A moment a customer met a message: it was delivered (or sent, where no receipt came), or
// they clicked one of its links.
struct MessageTouch {
    std::int64_t customer_id = 0;
    std::int64_t at = 0;
    std::int64_t message_id = 0;
};

struct Purchase {
    std::int64_t customer_id = 0;
    std::int64_t placed_at = 0;
    std::int64_t total = 0; // VND
};

struct MessageLabel {
    std::string trigger;
    std::string template_id;
};

struct AttributionFacts {
    // The touches of customers who bought in the period or the window after it, from one
    // window before the period on: an earlier message cannot be a purchase's.
    std::vector<MessageTouch> touches;
    std::vector<Purchase> purchases;                      // placed in the period or the window after it, not cancelled
    std::map<std::int64_t, MessageLabel> period_messages; // the touched messages written in the period
};

class MessageResults {
public:
    explicit MessageResults(sql::Connection& db);

    // Messages written in [from_ms, to_ms).
    std::vector<MessageCountRow> counts(std::int64_t from_ms, std::int64_t to_ms, std::int64_t window_ms);
    AttributionFacts attribution_facts(std::int64_t from_ms, std::int64_t to_ms, std::int64_t window_ms);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
