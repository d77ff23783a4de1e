#pragma once
// SQL over customers, the identities they are known by, their profile facts, their stage,
// and merging two customers found to be one person.
#include "store/order_store.h"
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct ProfileUpdate {
    std::string name = {};
    std::string phone = {};
    std::string birthday = {};
    std::string gender = {};
    std::string address_json = {}; // empty: unchanged
};

// What a shopper's message told, so that the replies just after do not ask for it again.
struct ToldInMessage {
    bool size = false;         // "size M", "sz 39", "cỡ L"
    bool measurements = false; // "1m6 50kg"
};

struct StageRow {
    std::string stage;
    std::optional<std::int64_t> last_interaction_at;
    bool ever_staged = false; // false until the first stage is recorded
    std::optional<std::int64_t> stage_changed_at;
    std::vector<OrderRow> orders; // every order of the customer's, cancelled ones too
};

class CustomerStore {
public:
    explicit CustomerStore(sql::Connection& db);

    std::optional<std::int64_t> find_by_identity(const std::string& channel, const std::string& external_id);
    // The customer behind an identity the customer just used at `at_ms` (a chat opens the
    // platform's reply window there): records that interaction (never moving backwards) and
    // returns the customer with whether they had a chat contact before (chat_contact.h),
    // in the one statement the lookup costs anyway.
    struct TouchedIdentity {
        std::int64_t customer_id = 0;
        bool chatted_before = false;
    };
    std::optional<TouchedIdentity> touch_identity(const std::string& channel, const std::string& external_id,
                                                  std::int64_t at_ms);
    std::int64_t create(std::int64_t now_ms, std::int64_t first_seen_ms, const std::string& first_source);
    // Records that the customer is known by this identity, used last at `interaction_at` if
    // given; an identity already held is kept.
    void add_identity(const std::string& channel, const std::string& external_id, const std::string& account_id,
                      std::int64_t customer_id, std::int64_t now_ms,
                      std::optional<std::int64_t> interaction_at = std::nullopt);

    void set_follower(std::int64_t customer_id, bool follower);
    // Fills the profile: non-empty fields replace what was known (the newest word wins).
    void update_profile(std::int64_t customer_id, const ProfileUpdate& update);
    // Sets the name only where none is known yet.
    void set_name_if_missing(std::int64_t customer_id, const std::string& name);
    // The shopper agreed to share their phone at `at_ms` (the Mini App's getPhoneNumber).
    void set_phone_consent(std::int64_t customer_id, std::int64_t at_ms);
    // A tag staff put on (or took off) a follower in the OA.
    void set_zalo_tag(std::int64_t customer_id, const std::string& tag, bool tagged, std::int64_t at_ms);
    // The tag was deleted from the OA: nobody has it any more.
    void drop_zalo_tag(const std::string& tag);
    void set_cart(std::int64_t customer_id, const std::optional<std::string>& cart_json);
    // A message that showed the customer the menu was decided at `at_ms`.
    void note_menu_shown(std::int64_t customer_id, std::int64_t at_ms);
    // The shopper's message at `at_ms` told what `told` says, for the replies just after.
    void note_told(std::int64_t customer_id, ToldInMessage told, std::int64_t at_ms);

    StageRow stage_of(std::int64_t customer_id);
    // What one stage check writes, in one statement: the interaction that caused it (moves
    // last_interaction_at forward, never backwards: events may arrive late, and counts it),
    // when to check again, and the stage entered, if it changed.
    struct StageCheck {
        std::optional<std::int64_t> interaction_at;
        std::optional<std::int64_t> next_check_at;
        std::optional<std::string> entered_stage;
        std::int64_t entered_at = 0;
    };
    void record_stage_check(std::int64_t customer_id, const StageCheck& check);
    void add_stage_history(std::int64_t customer_id, const std::optional<std::string>& from_stage,
                           const std::string& to_stage, std::int64_t changed_at, const std::string& reason);
    // Customers whose stage may have changed by time alone, most overdue first.
    std::vector<std::int64_t> due_for_stage_check(std::int64_t now_ms, int limit);

    // Moves everything of `merged` onto `kept` and marks `merged` as merged into it.
    void merge(std::int64_t kept, std::int64_t merged, std::int64_t now_ms, const std::string& reason);

    // The (channel, account) of the customer's identities on a channel, e.g. their Zalo id.
    struct Identity {
        std::string external_id;
        std::string account_id;
    };
    std::optional<Identity> identity_on(std::int64_t customer_id, const std::string& channel);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
