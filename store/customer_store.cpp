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
    m_find_identity.reset();
    m_find_identity.bind(1, channel);
    m_find_identity.bind(2, external_id);
    if (m_find_identity.executeStep()) {
        return m_find_identity.getColumn(0).getInt64();
    }
    return std::nullopt;
}

std::int64_t CustomerStore::create(std::int64_t now_ms, std::int64_t first_seen_ms, const std::string& first_source) {
    m_create.reset();
    m_create.bind(1, static_cast<int64_t>(now_ms));
    m_create.bind(2, static_cast<int64_t>(first_seen_ms));
    m_create.bind(3, first_source);
    m_create.executeStep();
    std::int64_t id = m_create.getColumn(0).getInt64();
    m_create.reset();
    return id;
}

void CustomerStore::add_identity(const std::string& channel, const std::string& external_id,
                                 std::int64_t customer_id, std::int64_t now_ms) {
    m_add_identity.reset();
    m_add_identity.bind(1, channel);
    m_add_identity.bind(2, external_id);
    m_add_identity.bind(3, static_cast<int64_t>(customer_id));
    m_add_identity.bind(4, static_cast<int64_t>(now_ms));
    m_add_identity.exec();
}

void CustomerStore::record_interaction(std::int64_t customer_id, std::int64_t at_ms) {
    m_record_interaction.reset();
    m_record_interaction.bind(1, static_cast<int64_t>(at_ms));
    m_record_interaction.bind(2, static_cast<int64_t>(customer_id));
    m_record_interaction.exec();
}

std::optional<std::int64_t> CustomerStore::last_interaction_at(std::int64_t customer_id) {
    m_last_interaction.reset();
    m_last_interaction.bind(1, static_cast<int64_t>(customer_id));
    if (m_last_interaction.executeStep() && !m_last_interaction.getColumn(0).isNull()) {
        return m_last_interaction.getColumn(0).getInt64();
    }
    return std::nullopt;
}

} // namespace pheu::store
