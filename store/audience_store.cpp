#include "store/audience_store.h"

#include "store/chat_contact.h"
#include "store/sql_helpers.h"

#include <algorithm>

#include <string>

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

// Which of `key_count` idempotency keys (bound from ?4 on) an outbox row holds: bit i for the
// key at ?(4 + i). Each is one probe of the key's unique index.
std::string keys_used(std::size_t key_count) {
    std::string bits = "0";
    for (std::size_t i = 0; i < key_count; ++i) {
        // A CASE, not EXISTS(…) << i: PostgreSQL shifts no booleans.
        bits += " + CASE WHEN EXISTS (SELECT 1 FROM outbox WHERE idempotency_key = ?" + std::to_string(4 + i) +
                ") THEN " + std::to_string(1LL << i) + " ELSE 0 END";
    }
    return bits;
}

// One round trip for everything a send decision reads of the customer (it ran six before).
std::string audience_sql(std::size_t key_count) {
    return "SELECT c.opted_out, c.unfollowed_at IS NOT NULL, c.silenced_until, c.stage, c.cart IS NOT NULL, "
           "c.last_order_at, "
           "c.first_seen_at, coalesce(c.birthday, ''), z.external_id, z.account_id, z.last_interaction_at, "
           "m.external_id, m.account_id, m.last_interaction_at, "
           "EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id AND i.channel = 'zalo_app'), "
           // CAST: PostgreSQL types a parameter by its first use, and IS NULL alone tells none.
           "CASE WHEN CAST(?2 AS BIGINT) IS NULL THEN 0 ELSE " +
           capped_since("?2") + " END, CASE WHEN CAST(?3 AS BIGINT) IS NULL THEN 0 ELSE " + capped_since("?3") +
           " END, " + keys_used(key_count) + ", c.phone IS NOT NULL FROM customers c " + last_identity("zalo", "z") +
           last_identity("messenger", "m") + "WHERE c.id = ?1";
}

std::optional<ChannelIdentity> identity_at(sql::Statement& row, int first_column) {
    if (row.is_null(first_column)) {
        return std::nullopt;
    }
    return ChannelIdentity{row.text(first_column), text_or_empty(row, first_column + 1),
                           optional_int(row, first_column + 2)};
}

} // namespace

namespace {

const std::string k_chat_contact_sql = std::string("SELECT ") + chat_contact_before("?");

} // namespace

AudienceStore::AudienceStore(sql::Connection& db) : m_statements(db) {}

AudienceRow AudienceStore::audience(std::int64_t customer_id, std::optional<CapWindows> caps,
                                    const std::vector<std::string>& keys) {
    // Bits of one integer: past 62 keys (a trigger with that many rules), the rest are asked
    // one by one.
    const std::size_t asked_with_customer = std::min(keys.size(), k_keys_asked_with_customer);
    AudienceRow row;
    auto query = m_statements(audience_sql(asked_with_customer));
    query->bind(1, static_cast<int64_t>(customer_id));
    bind_optional_int(*query, 2, caps ? std::optional(caps->day_from) : std::nullopt);
    bind_optional_int(*query, 3, caps ? std::optional(caps->week_from) : std::nullopt);
    for (std::size_t i = 0; i < asked_with_customer; ++i) {
        query->bind(static_cast<int>(4 + i), keys[i]);
    }
    if (query->step()) {
        row.opted_out = query->int32(0) != 0;
        row.unfollowed = query->int32(1) != 0;
        row.silenced_until = optional_int(*query, 2);
        row.exists = true;
        row.stage = query->text(3);
        row.has_cart = query->int32(4) != 0;
        row.last_order_at = optional_int(*query, 5);
        row.first_seen_at = optional_int(*query, 6);
        row.birthday = query->text(7);
        row.zalo = identity_at(*query, 8);
        row.messenger = identity_at(*query, 11);
        row.zalo_app = query->int32(14) != 0;
        row.capped_last_day = query->int32(15);
        row.capped_last_week = query->int32(16);
        row.has_phone = query->int32(18) != 0;
        const auto used = static_cast<std::uint64_t>(query->int64(17));
        for (std::size_t i = 0; i < asked_with_customer; ++i) {
            if ((used >> i) & 1U) {
                row.keys_used.insert(keys[i]);
            }
        }
    }
    for (std::size_t i = asked_with_customer; i < keys.size(); ++i) {
        auto held = m_statements("SELECT 1 FROM outbox WHERE idempotency_key = ?");
        held->bind(1, keys[i]);
        if (held->step()) {
            row.keys_used.insert(keys[i]);
        }
    }
    // The handles reset their statements as this returns: one left on its row would keep the
    // connection's read snapshot open.
    return row;
}

bool AudienceStore::has_chat_contact(std::int64_t customer_id) {
    auto chat_contact_statement = m_statements(k_chat_contact_sql);
    chat_contact_statement->bind(1, static_cast<int64_t>(customer_id));
    chat_contact_statement->step();
    const bool found = chat_contact_statement->int32(0) != 0;
    return found;
}

bool AudienceStore::set_opted_out(std::int64_t customer_id, bool opted_out, std::int64_t at_ms) {
    auto update = m_statements(
        "UPDATE customers SET opted_out = ?1, opted_out_at = CASE WHEN ?1 <> 0 THEN CAST(?2 AS BIGINT) END "
        "WHERE id = ?3 AND opted_out <> ?1");
    update->bind(1, opted_out ? 1 : 0);
    update->bind(2, static_cast<int64_t>(at_ms));
    update->bind(3, static_cast<int64_t>(customer_id));
    return update->run() == 1;
}

void AudienceStore::silence_until(std::int64_t customer_id, std::int64_t until_ms) {
    auto update = m_statements("UPDATE customers SET silenced_until = max(coalesce(silenced_until, ?1), ?1) "
                               "WHERE id = ?2");
    update->bind(1, static_cast<int64_t>(until_ms));
    update->bind(2, static_cast<int64_t>(customer_id));
    update->run();
}

void AudienceStore::set_unfollowed(std::int64_t customer_id, std::optional<std::int64_t> at_ms) {
    auto update = m_statements("UPDATE customers SET unfollowed_at = ? WHERE id = ?");
    bind_optional_int(*update, 1, at_ms);
    update->bind(2, static_cast<int64_t>(customer_id));
    update->run();
}

} // namespace pheu::store
