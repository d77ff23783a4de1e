#include "store/customer_store.h"

namespace pheu::store {

CustomerStore::CustomerStore(SQLite::Database& db)
    : m_find_identity(db, "SELECT customer_id FROM customer_identities WHERE channel = ? AND external_id = ?"),
      m_create(db, "INSERT INTO customers (created_at, first_seen_at, first_source) VALUES (?, ?, ?) RETURNING id"),
      m_add_identity(db, "INSERT INTO customer_identities (channel, external_id, customer_id, created_at) "
                         "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"),
      m_record_interaction(db, "UPDATE customers SET last_interaction_at = max(coalesce(last_interaction_at, ?1), ?1) "
                               "WHERE id = ?2"),
      m_last_interaction(db, "SELECT last_interaction_at FROM customers WHERE id = ?") {}

std::optional<std::int64_t> CustomerStore::find_by_identity(const std::string& channel,
                                                            const std::string& external_id) {
    m_find_identity.tryReset();
    m_find_identity.bind(1, channel);
    m_find_identity.bind(2, external_id);
    std::optional<std::int64_t> found;
    if (m_find_identity.executeStep()) {
        found = m_find_identity.getColumn(0).getInt64();
    }
    // Reset at once: a statement left mid-result keeps a read snapshot open, and a later
    // write on this connection then fails with SQLITE_BUSY_SNAPSHOT instead of waiting.
    m_find_identity.tryReset();
    return found;
}

std::int64_t CustomerStore::create(std::int64_t now_ms, std::int64_t first_seen_ms, const std::string& first_source) {
    m_create.tryReset();
    m_create.bind(1, static_cast<int64_t>(now_ms));
    m_create.bind(2, static_cast<int64_t>(first_seen_ms));
    m_create.bind(3, first_source);
    m_create.executeStep();
    std::int64_t id = m_create.getColumn(0).getInt64();
    m_create.tryReset();
    return id;
}

void CustomerStore::add_identity(const std::string& channel, const std::string& external_id,
                                 std::int64_t customer_id, std::int64_t now_ms) {
    m_add_identity.tryReset();
    m_add_identity.bind(1, channel);
    m_add_identity.bind(2, external_id);
    m_add_identity.bind(3, static_cast<int64_t>(customer_id));
    m_add_identity.bind(4, static_cast<int64_t>(now_ms));
    m_add_identity.exec();
}

void CustomerStore::record_interaction(std::int64_t customer_id, std::int64_t at_ms) {
    m_record_interaction.tryReset();
    m_record_interaction.bind(1, static_cast<int64_t>(at_ms));
    m_record_interaction.bind(2, static_cast<int64_t>(customer_id));
    m_record_interaction.exec();
}

std::optional<std::int64_t> CustomerStore::last_interaction_at(std::int64_t customer_id) {
    m_last_interaction.tryReset();
    m_last_interaction.bind(1, static_cast<int64_t>(customer_id));
    std::optional<std::int64_t> found;
    if (m_last_interaction.executeStep() && !m_last_interaction.getColumn(0).isNull()) {
        found = m_last_interaction.getColumn(0).getInt64();
    }
    m_last_interaction.tryReset();
    return found;
}

} // namespace pheu::store
