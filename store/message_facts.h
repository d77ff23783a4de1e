#pragma once
// What a message may say of a customer (their name, stage, orders, cart, latest order, latest
// game prize, the products they last viewed), read in one statement: a reply's render read
// it in seven (the admin API's customer view, then each part on its own).
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct MessageFacts {
    std::int64_t customer_id = 0; // the customer that absorbed the one asked for, if merged
    std::string stage;
    std::optional<std::string> name;
    std::optional<std::string> gender;
    std::optional<std::string> cart_json;
    std::int64_t orders_count = 0;
    std::int64_t total_spent = 0;
    struct Order {
        std::string order_id;
        std::int64_t total = 0;
        std::int64_t placed_at = 0;
    };
    std::optional<Order> latest_order; // placed, not cancelled
    struct Prize {
        std::string game_id;
        std::string result;
        std::string prize;
    };
    std::optional<Prize> latest_prize;         // the latest game play
    std::vector<std::string> viewed_skus;      // most recent first
    std::optional<std::int64_t> menu_shown_at; // the last message that showed the menu
    // The shopper's last message that named a size, or gave their height or weight.
    std::optional<std::int64_t> size_told_at;
    std::optional<std::int64_t> measurements_told_at;
};

class MessageFactsQuery {
public:
    explicit MessageFactsQuery(sql::Connection& db);

    // Follows merges to the customer that absorbed this one; nullopt for an unknown id.
    // `viewed_limit` bounds viewed_skus.
    std::optional<MessageFacts> facts(std::int64_t customer_id, int viewed_limit);

private:
    StatementCache m_statements;
    // Built once for the connection's backend: the query runs for every message.
    const std::string m_facts_sql;
};

} // namespace pheu::store
