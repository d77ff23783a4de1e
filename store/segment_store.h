#pragma once
// Segments: named filters over what pheu knows of its customers, saved by the shop, counted
// and listed live. The filter's meaning (which keys, which values) is bot/customers/
// segment_filter.h's; here it becomes one SQL condition over the customers table, which
// keeps each customer's order totals (migration 23) so a count is one pass over it.
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

// Both ends included; an absent end is open.
struct NumberRange {
    std::optional<std::int64_t> min = std::nullopt;
    std::optional<std::int64_t> max = std::nullopt;
    bool any() const { return min || max; }
};

// Where a customer can be written to now: a Zalo follower, a Messenger conversation inside
// its window, a phone number (ZNS), or any of them.
enum class Reach { zalo, messenger, zns, any };

// A new lead's temperature (bot/customers/stage_engine.h) as bounds the bot fills in from
// the constants lead_temperature decides by, so both read alike.
enum class Temperature { hot, warm, cold };
struct TemperatureBounds {
    std::int64_t hot_within_ms = 0;        // interacted at most this long ago…
    std::int64_t hot_min_interactions = 0; // …and at least this many times in all
    std::int64_t warm_within_ms = 0;
};

// Every condition is optional; those present must all hold. Opted-out and merged customers
// never match.
struct SegmentFilter {
    std::vector<std::string> stages = {}; // any of them
    NumberRange orders_count = {};
    NumberRange total_spent = {}; // VND
    // Whole days since the moment (a customer who never ordered has no last order, and
    // matches no range of it).
    NumberRange last_order_days_ago = {};
    NumberRange last_interaction_days_ago = {};
    NumberRange first_seen_days_ago = {};
    std::vector<std::string> bought_categories = {}; // bought any of them, in an order not cancelled
    std::vector<std::string> bought_skus = {};
    std::vector<std::string> viewed_categories = {}; // viewed a product of any of them
    std::vector<std::string> viewed_skus = {};
    std::optional<std::string> city_key = std::nullopt; // common::city_key of the city asked for
    std::optional<int> birthday_month = std::nullopt;   // 1-12
    std::optional<std::string> gender = std::nullopt;   // common::gender_id
    std::vector<Temperature> temperatures = {};         // new leads only, any of them
    TemperatureBounds temperature_bounds = {};
    std::vector<std::string> vouchers_held = {};     // campaigns with a code still to use
    std::vector<std::string> vouchers_redeemed = {}; // campaigns with a code used
    bool opted_in = false;                           // only those who gave their consent explicitly
    std::vector<std::string> zalo_tags = {};         // tagged with any of them on the OA
    std::optional<Reach> reachable = std::nullopt;
};

// What "now" means to a filter: its day counts, and how long a Messenger conversation stays
// open for a business's messages.
struct SegmentClock {
    std::int64_t now_ms = 0;
    std::int64_t messenger_window_ms = 0;
};

// Where one member can be written to, for a broadcast's estimate.
struct MemberReach {
    bool on_zalo = false; // known by a Zalo id, not unfollowed
    std::optional<std::int64_t> zalo_last_interaction_at;
    bool on_messenger = false;
    std::optional<std::int64_t> messenger_last_interaction_at;
    bool has_phone = false;
};

struct SavedSegment {
    std::int64_t id = 0;
    std::string name;
    std::string filter_json; // as the shop wrote it, validated
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

class SegmentStore {
public:
    explicit SegmentStore(sql::Connection& db);

    std::int64_t create(const std::string& name, const std::string& filter_json, std::int64_t now);
    // False when no segment has the id.
    bool update(std::int64_t id, const std::string& name, const std::string& filter_json, std::int64_t now);
    bool remove(std::int64_t id);
    std::optional<SavedSegment> get(std::int64_t id);
    std::vector<SavedSegment> list();

    std::int64_t count(const SegmentFilter& filter, const SegmentClock& clock);
    // The matching customers' ids above `after_id`, in id order, at most `limit`.
    std::vector<std::int64_t> member_ids(const SegmentFilter& filter, const SegmentClock& clock, std::int64_t after_id,
                                         int limit);

    // Each member's reach, in one statement over the segment.
    void for_each_reach(const SegmentFilter& filter, const SegmentClock& clock,
                        const std::function<void(const MemberReach&)>& visit);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
