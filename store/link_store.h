#pragma once
// SQL over short links: the links written into sent messages, and their clicks.
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::store {

struct LinkRow {
    std::int64_t id = 0;
    std::string url; // as the shop wrote it
    std::int64_t customer_id = 0;
    std::string message_key; // the outbox row's idempotency key
    std::string trigger;
    std::string campaign; // utm_campaign: the rule, journey step or broadcast
    std::string channel;  // utm_medium
    std::int64_t created_at = 0;
};

class LinkStore {
public:
    explicit LinkStore(sql::Connection& db);

    // This database's link secret (migration 25).
    std::string secret();
    std::int64_t create(const LinkRow& link);
    std::optional<LinkRow> get(std::int64_t id);
    void record_click(const LinkRow& link, std::int64_t at_ms);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
