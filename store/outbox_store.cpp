#include "store/outbox_store.h"

#include "store/sql_helpers.h"

#include <string>

namespace pheu::store {

namespace {

const std::string k_insert_sql =
    "INSERT INTO outbox (customer_id, kind, channel, account_id, recipient, idempotency_key, status, "
    "reason, trigger, template, text, payload, created_at, updated_at, not_before, counts_toward_cap, "
    "promotional) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, ''), ?, nullif(?, ''), nullif(?, ''), ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (idempotency_key) DO NOTHING";

} // namespace

OutboxStore::OutboxStore(sql::Connection& db) : m_statements(db) {}

bool OutboxStore::enqueue(const OutboxItem& item, std::int64_t now_ms) {
    auto insert_statement = m_statements(k_insert_sql);
    insert_statement->bind(1, static_cast<int64_t>(item.customer_id));
    insert_statement->bind(2, outbox_kind_id(item.kind));
    insert_statement->bind(3, item.channel);
    insert_statement->bind(4, item.account_id);
    insert_statement->bind(5, item.recipient);
    insert_statement->bind(6, item.idempotency_key);
    insert_statement->bind(7, outbox_status_id(item.status));
    insert_statement->bind(8, item.reason);
    insert_statement->bind(9, item.trigger);
    insert_statement->bind(10, item.template_id);
    insert_statement->bind(11, item.text);
    insert_statement->bind(12, item.payload_json);
    insert_statement->bind(13, static_cast<int64_t>(now_ms));
    insert_statement->bind(14, static_cast<int64_t>(now_ms));
    bind_optional_int(*insert_statement, 15, item.not_before);
    insert_statement->bind(16, item.counts_toward_cap ? 1 : 0);
    insert_statement->bind(17, item.promotional ? 1 : 0);
    return insert_statement->run() == 1;
}

std::optional<std::int64_t> OutboxStore::last_sent_at(std::int64_t customer_id, const std::string& template_id) {
    auto query = m_statements("SELECT max(created_at) FROM outbox WHERE customer_id = ? AND kind = 'message' "
                              "AND template = ? AND status <> 'skipped' AND status <> 'failed'");
    query->bind(1, static_cast<int64_t>(customer_id));
    query->bind(2, template_id);
    std::optional<std::int64_t> at;
    if (query->step() && !query->is_null(0)) {
        at = query->int64(0);
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
    return static_cast<int>(update->run());
}

std::int64_t OutboxStore::count_queued() {
    auto query = m_statements("SELECT count(*) FROM outbox WHERE status = 'queued'");
    query->step();
    return query->int64(0);
}

} // namespace pheu::store
