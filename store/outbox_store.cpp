#include "store/outbox_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

OutboxStore::OutboxStore(SQLite::Database& db)
    : m_statements(db),
      m_insert(db, "INSERT INTO outbox (customer_id, kind, channel, account_id, recipient, idempotency_key, status, "
                   "reason, trigger, template, text, payload, created_at, updated_at, not_before, counts_toward_cap, "
                   "promotional) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, ''), ?, nullif(?, ''), nullif(?, ''), ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (idempotency_key) DO NOTHING") {}

bool OutboxStore::enqueue(const OutboxItem& item, std::int64_t now_ms) {
    m_insert.tryReset();
    m_insert.bind(1, static_cast<int64_t>(item.customer_id));
    m_insert.bind(2, outbox_kind_id(item.kind));
    m_insert.bind(3, item.channel);
    m_insert.bind(4, item.account_id);
    m_insert.bind(5, item.recipient);
    m_insert.bind(6, item.idempotency_key);
    m_insert.bind(7, outbox_status_id(item.status));
    m_insert.bind(8, item.reason);
    m_insert.bind(9, item.trigger);
    m_insert.bind(10, item.template_id);
    m_insert.bind(11, item.text);
    m_insert.bind(12, item.payload_json);
    m_insert.bind(13, static_cast<int64_t>(now_ms));
    m_insert.bind(14, static_cast<int64_t>(now_ms));
    bind_optional_int(m_insert, 15, item.not_before);
    m_insert.bind(16, item.counts_toward_cap ? 1 : 0);
    m_insert.bind(17, item.promotional ? 1 : 0);
    return m_insert.exec() == 1;
}

std::optional<std::int64_t> OutboxStore::last_sent_at(std::int64_t customer_id, const std::string& template_id) {
    auto query = m_statements("SELECT max(created_at) FROM outbox WHERE customer_id = ? AND kind = 'message' "
                              "AND template = ? AND status <> 'skipped' AND status <> 'failed'");
    query->bind(1, static_cast<int64_t>(customer_id));
    query->bind(2, template_id);
    std::optional<std::int64_t> at;
    if (query->executeStep() && !query->getColumn(0).isNull()) {
        at = query->getColumn(0).getInt64();
    }
    return at;
}

int OutboxStore::release_waiting_for_link(std::int64_t customer_id, const std::string& account_id,
                                          const std::string& zalo_user_id, std::int64_t now_ms) {
    auto update = m_statements("UPDATE outbox SET recipient = ?, account_id = ?, not_before = ?, reason = NULL, "
                               "updated_at = ? WHERE customer_id = ? AND kind = 'message' AND status = 'queued' "
                               "AND channel = 'zalo' AND recipient = '' AND reason LIKE 'waiting_for_oa_link%'");
    update->bind(1, zalo_user_id);
    update->bind(2, account_id);
    update->bind(3, static_cast<int64_t>(now_ms));
    update->bind(4, static_cast<int64_t>(now_ms));
    update->bind(5, static_cast<int64_t>(customer_id));
    return update->exec();
}

} // namespace pheu::store
