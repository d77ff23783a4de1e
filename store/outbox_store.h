#pragma once
// SQL over the outbox: every outbound message or tag change is first a row here, with an
// idempotency key, and only then a send.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>

namespace pheu::store {

struct OutboxItem {
    std::int64_t customer_id = 0;
    std::string kind;    // message | tag | untag
    std::string channel; // zalo | messenger | none
    std::string account_id;
    std::string recipient;
    std::string idempotency_key;
    std::string status; // sandboxed | queued | sent | failed | skipped
    std::string reason;
    std::string trigger;
    std::string template_id;
    std::string text;
    std::string payload_json = "{}";
};

class OutboxStore {
public:
    explicit OutboxStore(SQLite::Database& db);
    // False when an item with the same idempotency key exists already.
    bool enqueue(const OutboxItem& item, std::int64_t now_ms);

private:
    SQLite::Statement m_insert;
};

} // namespace pheu::store
