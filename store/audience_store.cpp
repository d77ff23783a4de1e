#include "store/audience_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

namespace {

// The identity used last on a channel is the one to answer on: one row or none, joined as
// `alias` (external_id, account_id, last_interaction_at); one never used (NULL) comes last.
// Chosen by its key through the index in that order (migration 21), so no temporary table
// is built per decision.
std::string last_identity(const char* channel, const char* alias) {
    return std::string("LEFT JOIN customer_identities ") + alias + " ON " + alias + ".channel = '" + channel +
           "' AND " + alias +
           ".external_id = (SELECT external_id FROM customer_identities WHERE customer_id = ?1 AND channel = '" +
           channel + "' ORDER BY last_interaction_at DESC, external_id LIMIT 1) ";
}

std::string capped_since(const char* parameter) {
    return std::string("(SELECT count(*) FROM outbox o WHERE o.customer_id = c.id AND o.counts_toward_cap = 1 "
                       "AND o.status IN ('sandboxed', 'queued', 'sent') AND o.created_at >= ") +
           parameter + ")";
}

// One round trip for everything a send decision reads of the customer (it ran six before).
std::string audience_sql() {
    return "SELECT c.opted_out, c.unfollowed_at IS NOT NULL, c.silenced_until, c.stage, c.cart IS NOT NULL, "
           "(SELECT max(placed_at) FROM orders o WHERE o.customer_id = c.id AND o.cancelled_at IS NULL), "
           "c.first_seen_at, coalesce(c.birthday, ''), z.external_id, z.account_id, z.last_interaction_at, "
           "m.external_id, m.account_id, m.last_interaction_at, "
           "EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id AND i.channel = 'zalo_app'), "
           "CASE WHEN ?2 IS NULL THEN 0 ELSE " +
           capped_since("?2") + " END, CASE WHEN ?3 IS NULL THEN 0 ELSE " + capped_since("?3") +
           " END FROM customers c " + last_identity("zalo", "z") + last_identity("messenger", "m") + "WHERE c.id = ?1";
}

std::optional<ChannelIdentity> identity_at(SQLite::Statement& row, int first_column) {
    if (row.getColumn(first_column).isNull()) {
        return std::nullopt;
    }
    return ChannelIdentity{row.getColumn(first_column).getString(), text_or_empty(row.getColumn(first_column + 1)),
                           optional_int(row.getColumn(first_column + 2))};
}

} // namespace

AudienceStore::AudienceStore(SQLite::Database& db)
    : m_statements(db), m_audience(db, audience_sql()),
      m_channel_interaction(db, "UPDATE customer_identities SET last_interaction_at = "
                                "max(coalesce(last_interaction_at, ?1), ?1) WHERE channel = ?2 AND external_id = ?3"),
      m_chat_contact(db, "SELECT EXISTS (SELECT 1 FROM inbox_events WHERE customer_id = ? "
                         "AND kind IN ('message', 'postback', 'follow'))") {}

AudienceRow AudienceStore::audience(std::int64_t customer_id, std::optional<CapWindows> caps) {
    AudienceRow row;
    m_audience.tryReset();
    m_audience.bind(1, static_cast<int64_t>(customer_id));
    bind_optional_int(m_audience, 2, caps ? std::optional(caps->day_from) : std::nullopt);
    bind_optional_int(m_audience, 3, caps ? std::optional(caps->week_from) : std::nullopt);
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
        row.zalo = identity_at(m_audience, 8);
        row.messenger = identity_at(m_audience, 11);
        row.zalo_app = m_audience.getColumn(14).getInt() != 0;
        row.capped_last_day = m_audience.getColumn(15).getInt();
        row.capped_last_week = m_audience.getColumn(16).getInt();
    }
    // Reset at once: a statement left on its row keeps the connection's read snapshot open.
    m_audience.tryReset();
    return row;
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
