#include "store/outbox_store.h"

namespace pheu::store {

OutboxStore::OutboxStore(SQLite::Database& db)
    : m_insert(db, "INSERT INTO outbox (customer_id, kind, channel, account_id, recipient, idempotency_key, status, "
                   "reason, trigger, template, text, payload, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, ''), ?, nullif(?, ''), nullif(?, ''), ?, ?, ?) "
                   "ON CONFLICT (idempotency_key) DO NOTHING") {}

bool OutboxStore::enqueue(const OutboxItem& item, std::int64_t now_ms) {
    m_insert.tryReset();
    m_insert.bind(1, static_cast<int64_t>(item.customer_id));
    m_insert.bind(2, item.kind);
    m_insert.bind(3, item.channel);
    m_insert.bind(4, item.account_id);
    m_insert.bind(5, item.recipient);
    m_insert.bind(6, item.idempotency_key);
    m_insert.bind(7, item.status);
    m_insert.bind(8, item.reason);
    m_insert.bind(9, item.trigger);
    m_insert.bind(10, item.template_id);
    m_insert.bind(11, item.text);
    m_insert.bind(12, item.payload_json);
    m_insert.bind(13, static_cast<int64_t>(now_ms));
    m_insert.bind(14, static_cast<int64_t>(now_ms));
    return m_insert.exec() == 1;
}

} // namespace pheu::store
