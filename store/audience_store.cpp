#include "store/audience_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

AudienceStore::AudienceStore(SQLite::Database& db)
    : m_statements(db),
      m_audience(db, "SELECT opted_out, unfollowed_at IS NOT NULL, silenced_until, stage, cart IS NOT NULL, "
                     "(SELECT max(placed_at) FROM orders o WHERE o.customer_id = c.id AND o.cancelled_at IS NULL), "
                     "first_seen_at, coalesce(birthday, '') FROM customers c WHERE id = ?"),
      // The identity used last is the one to answer on.
      m_identity(db, "SELECT external_id, account_id, last_interaction_at FROM customer_identities "
                     "WHERE customer_id = ? AND channel = ? ORDER BY coalesce(last_interaction_at, 0) DESC LIMIT 1"),
      m_channel_interaction(db, "UPDATE customer_identities SET last_interaction_at = "
                                "max(coalesce(last_interaction_at, ?1), ?1) WHERE channel = ?2 AND external_id = ?3"),
      m_chat_contact(db, "SELECT EXISTS (SELECT 1 FROM inbox_events WHERE customer_id = ? "
                         "AND kind IN ('message', 'postback', 'follow'))") {}

AudienceRow AudienceStore::audience(std::int64_t customer_id) {
    AudienceRow row;
    m_audience.tryReset();
    m_audience.bind(1, static_cast<int64_t>(customer_id));
    if (m_audience.executeStep()) {
        row.opted_out = m_audience.getColumn(0).getInt() != 0;
        row.unfollowed = m_audience.getColumn(1).getInt() != 0;
        row.silenced_until = optional_int(m_audience.getColumn(2));
        row.exists = true;
        row.stage = m_audience.getColumn(3).getString();
        row.has_cart = m_audience.getColumn(4).getInt() != 0;
        row.last_order_at = optional_int(m_audience.getColumn(5));
        row.first_seen_at = optional_int(m_audience.getColumn(6));
        row.birthday = m_audience.getColumn(7).getString();
    }
    m_audience.tryReset();
    row.zalo = identity(customer_id, "zalo");
    row.messenger = identity(customer_id, "messenger");
    row.zalo_app = identity(customer_id, "zalo_app").has_value();
    return row;
}

std::optional<ChannelIdentity> AudienceStore::identity(std::int64_t customer_id, const char* channel) {
    m_identity.tryReset();
    m_identity.bind(1, static_cast<int64_t>(customer_id));
    m_identity.bind(2, channel);
    std::optional<ChannelIdentity> found;
    if (m_identity.executeStep()) {
        found = ChannelIdentity{m_identity.getColumn(0).getString(), m_identity.getColumn(1).getString(),
                                optional_int(m_identity.getColumn(2))};
    }
    m_identity.tryReset();
    return found;
}

bool AudienceStore::has_chat_contact(std::int64_t customer_id) {
    m_chat_contact.tryReset();
    m_chat_contact.bind(1, static_cast<int64_t>(customer_id));
    m_chat_contact.executeStep();
    const bool found = m_chat_contact.getColumn(0).getInt() != 0;
    m_chat_contact.tryReset();
    return found;
}

bool AudienceStore::set_opted_out(std::int64_t customer_id, bool opted_out, std::int64_t at_ms) {
    auto update = m_statements("UPDATE customers SET opted_out = ?1, opted_out_at = CASE WHEN ?1 THEN ?2 END "
                               "WHERE id = ?3 AND opted_out <> ?1");
    update->bind(1, opted_out ? 1 : 0);
    update->bind(2, static_cast<int64_t>(at_ms));
    update->bind(3, static_cast<int64_t>(customer_id));
    return update->exec() == 1;
}

void AudienceStore::silence_until(std::int64_t customer_id, std::int64_t until_ms) {
    auto update = m_statements("UPDATE customers SET silenced_until = max(coalesce(silenced_until, ?1), ?1) "
                               "WHERE id = ?2");
    update->bind(1, static_cast<int64_t>(until_ms));
    update->bind(2, static_cast<int64_t>(customer_id));
    update->exec();
}

void AudienceStore::set_unfollowed(std::int64_t customer_id, std::optional<std::int64_t> at_ms) {
    auto update = m_statements("UPDATE customers SET unfollowed_at = ? WHERE id = ?");
    bind_optional_int(*update, 1, at_ms);
    update->bind(2, static_cast<int64_t>(customer_id));
    update->exec();
}

void AudienceStore::record_channel_interaction(const std::string& channel, const std::string& external_id,
                                               std::int64_t at_ms) {
    m_channel_interaction.tryReset();
    m_channel_interaction.bind(1, static_cast<int64_t>(at_ms));
    m_channel_interaction.bind(2, channel);
    m_channel_interaction.bind(3, external_id);
    m_channel_interaction.exec();
}

} // namespace pheu::store
