#pragma once
// SQL over what decides whether and where a customer may be messaged: opt-out, staff
// handoff, follow state, and the last interaction on each channel.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pheu::store {

struct ChannelIdentity {
    std::string external_id;
    std::string account_id;
    std::optional<std::int64_t> last_interaction_at;
};

struct AudienceRow {
    bool exists = false;
    std::string stage = "new_lead";
    bool has_cart = false;
    std::optional<std::int64_t> last_order_at; // orders not cancelled
    std::optional<std::int64_t> first_seen_at;
    std::string birthday;
    bool opted_out = false;
    bool unfollowed = false; // unfollowed the Zalo OA after last following it
    std::optional<std::int64_t> silenced_until;
    std::optional<ChannelIdentity> zalo;
    std::optional<ChannelIdentity> messenger;
    bool zalo_app = false;  // known by an app-scoped (Mini App) id
    bool has_phone = false; // a ZNS template can reach them
    // Messages counting toward the promotional cap created since the moments asked for.
    int capped_last_day = 0;
    int capped_last_week = 0;
    // Of the idempotency keys asked about, those an outbox row holds already.
    std::set<std::string> keys_used;
};

// The two moments the promotional caps count from (now minus a day, minus a week).
struct CapWindows {
    std::int64_t day_from = 0;
    std::int64_t week_from = 0;
};

class AudienceStore {
public:
    explicit AudienceStore(sql::Connection& db);

    // One statement: the customer, the identity last used on each channel, the capped
    // messages in each window (all zero when `caps` is absent), and which of `keys` some
    // outbox row holds (the messages a decision may be about to repeat, one per rule of a
    // trigger).
    AudienceRow audience(std::int64_t customer_id, std::optional<CapWindows> caps = std::nullopt,
                         const std::vector<std::string>& keys = {});
    // Returns true when the flag changed.
    bool set_opted_out(std::int64_t customer_id, bool opted_out, std::int64_t at_ms);
    // Keeps the later of the stored and the given moment.
    void silence_until(std::int64_t customer_id, std::int64_t until_ms);
    void set_unfollowed(std::int64_t customer_id, std::optional<std::int64_t> at_ms);
    // True when the customer has written, tapped or followed before (any chat contact).
    bool has_chat_contact(std::int64_t customer_id);

private:
    static constexpr std::size_t k_keys_asked_with_customer = 62;
    StatementCache m_statements;
};

} // namespace pheu::store
