#include "store/segment_store.h"

#include "store/sql_helpers.h"

#include <variant>

namespace pheu::store {

namespace {

constexpr std::int64_t k_day_ms = 24LL * 60 * 60 * 1000;

using Value = std::variant<std::int64_t, std::string>;

// The filter as one condition over `customers c`, with its values in placeholder order.
class Condition {
public:
    Condition(const SegmentFilter& filter, const SegmentClock& clock) : m_clock(clock) {
        m_sql = "c.merged_into IS NULL AND c.opted_out = 0";
        if (!filter.stages.empty()) {
            m_sql += " AND c.stage IN (" + placeholder_list(filter.stages.size()) + ")";
            for (const auto& stage : filter.stages) {
                m_values.emplace_back(stage);
            }
        }
        number("c.orders_count", filter.orders_count);
        number("c.total_spent", filter.total_spent);
        days_ago("c.last_order_at", filter.last_order_days_ago);
        days_ago("c.last_interaction_at", filter.last_interaction_days_ago);
        days_ago("c.first_seen_at", filter.first_seen_days_ago);
        if (!filter.bought_categories.empty()) {
            m_sql += " AND c.id IN (SELECT o.customer_id FROM order_items i JOIN orders o ON o.order_id = i.order_id "
                     "WHERE i.category IN (" +
                     placeholder_list(filter.bought_categories.size()) +
                     ") AND o.placed_at IS NOT NULL AND o.cancelled_at IS NULL)";
            for (const auto& category : filter.bought_categories) {
                m_values.emplace_back(category);
            }
        }
        any_of("c.id IN (SELECT o.customer_id FROM order_items i JOIN orders o ON o.order_id = i.order_id "
               "WHERE o.placed_at IS NOT NULL AND o.cancelled_at IS NULL AND i.sku IN (%))",
               filter.bought_skus);
        any_of("c.id IN (SELECT v.customer_id FROM product_views v JOIN products p ON p.sku = v.sku "
               "WHERE p.category IN (%))",
               filter.viewed_categories);
        any_of("c.id IN (SELECT customer_id FROM product_views WHERE sku IN (%))", filter.viewed_skus);
        if (filter.city_key) {
            m_sql += " AND c.city_key = ?";
            m_values.emplace_back(*filter.city_key);
        }
        if (filter.birthday_month) {
            m_sql += " AND c.birth_month = ?";
            m_values.emplace_back(static_cast<std::int64_t>(*filter.birthday_month));
        }
        if (filter.gender) {
            m_sql += " AND c.gender_key = ?";
            m_values.emplace_back(*filter.gender);
        }
        if (!filter.temperatures.empty()) {
            temperature(filter.temperatures, filter.temperature_bounds);
        }
        if (!filter.vouchers_held.empty()) {
            m_values.emplace_back(m_clock.now_ms); // the first placeholder: codes not expired
            any_of("c.id IN (SELECT customer_id FROM voucher_codes WHERE redeemed_at IS NULL AND customer_id IS NOT "
                   "NULL AND (expires_at IS NULL OR expires_at > ?) AND campaign_id IN (%))",
                   filter.vouchers_held);
        }
        any_of("c.id IN (SELECT coalesce(redeemed_by, customer_id) FROM voucher_codes WHERE redeemed_at IS NOT NULL "
               "AND campaign_id IN (%))",
               filter.vouchers_redeemed);
        if (filter.opted_in) {
            m_sql += " AND c.phone_consent_at IS NOT NULL";
        }
        any_of("c.id IN (SELECT customer_id FROM customer_tags WHERE tag IN (%))", filter.zalo_tags);
        if (filter.reachable) {
            reach(*filter.reachable);
        }
    }

    const std::string& sql() const { return m_sql; }

    // Binds the condition's values from the first placeholder; returns the next index.
    int bind(sql::Statement& statement) const {
        int index = 1;
        for (const auto& value : m_values) {
            if (const auto* number = std::get_if<std::int64_t>(&value)) {
                statement.bind(index++, static_cast<int64_t>(*number));
            } else {
                statement.bind(index++, std::get<std::string>(value));
            }
        }
        return index;
    }

private:
    // `condition` with its "%" replaced by one placeholder per name; nothing when none.
    void any_of(const std::string& condition, const std::vector<std::string>& names) {
        if (names.empty()) {
            return;
        }
        const auto at = condition.find('%');
        m_sql += " AND " + condition.substr(0, at) + placeholder_list(names.size()) + condition.substr(at + 1);
        for (const auto& name : names) {
            m_values.emplace_back(name);
        }
    }

    // New leads as warm as asked: any of the temperatures.
    void temperature(const std::vector<Temperature>& temperatures, const TemperatureBounds& bounds) {
        const std::int64_t hot_since = m_clock.now_ms - bounds.hot_within_ms;
        const std::int64_t warm_since = m_clock.now_ms - bounds.warm_within_ms;
        const auto hot = [&] {
            m_values.emplace_back(hot_since);
            m_values.emplace_back(bounds.hot_min_interactions);
            return std::string("(c.last_interaction_at >= ? AND c.interaction_count >= ?)");
        };
        m_sql += " AND c.stage = 'new_lead' AND (";
        for (std::size_t i = 0; i < temperatures.size(); ++i) {
            m_sql += i == 0 ? "" : " OR ";
            switch (temperatures[i]) {
            case Temperature::hot:
                m_sql += hot();
                break;
            case Temperature::warm:
                m_values.emplace_back(warm_since);
                m_sql += "(c.last_interaction_at >= ? AND NOT " + hot() + ")";
                break;
            case Temperature::cold:
                m_values.emplace_back(warm_since);
                m_sql += "(c.last_interaction_at IS NULL OR c.last_interaction_at < ?)";
                break;
            }
        }
        m_sql += ")";
    }

    void number(const char* column, const NumberRange& range) {
        if (range.min) {
            m_sql += std::string(" AND ") + column + " >= ?";
            m_values.emplace_back(*range.min);
        }
        if (range.max) {
            m_sql += std::string(" AND ") + column + " <= ?";
            m_values.emplace_back(*range.max);
        }
    }

    // N whole days ago: at most now - N days, and more than now - (N + 1) days.
    void days_ago(const char* column, const NumberRange& range) {
        if (range.min) {
            m_sql += std::string(" AND ") + column + " <= ?";
            m_values.emplace_back(m_clock.now_ms - *range.min * k_day_ms);
        }
        if (range.max) {
            m_sql += std::string(" AND ") + column + " > ?";
            m_values.emplace_back(m_clock.now_ms - (*range.max + 1) * k_day_ms);
        }
    }

    void reach(Reach reach) {
        const std::string zalo = "c.is_follower = 1";
        const std::string messenger = "c.id IN (SELECT customer_id FROM customer_identities WHERE channel = "
                                      "'messenger' AND last_interaction_at > ?)";
        const std::string zns = "c.phone IS NOT NULL";
        const std::int64_t messenger_since = m_clock.now_ms - m_clock.messenger_window_ms;
        switch (reach) {
        case Reach::zalo:
            m_sql += " AND " + zalo;
            break;
        case Reach::messenger:
            m_sql += " AND " + messenger;
            m_values.emplace_back(messenger_since);
            break;
        case Reach::zns:
            m_sql += " AND " + zns;
            break;
        case Reach::any:
            m_sql += " AND (" + zalo + " OR " + zns + " OR " + messenger + ")";
            m_values.emplace_back(messenger_since);
            break;
        }
    }

    SegmentClock m_clock;
    std::string m_sql;
    std::vector<Value> m_values;
};

SavedSegment read_segment(sql::Statement& row) {
    return SavedSegment{.id = row.int64(0),
                        .name = row.text(1),
                        .filter_json = row.text(2),
                        .created_at = row.int64(3),
                        .updated_at = row.int64(4)};
}

} // namespace

SegmentStore::SegmentStore(sql::Connection& db) : m_statements(db) {}

std::int64_t SegmentStore::create(const std::string& name, const std::string& filter_json, std::int64_t now) {
    auto insert =
        m_statements("INSERT INTO segments (name, filter, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id");
    insert->bind(1, name);
    insert->bind(2, filter_json);
    insert->bind(3, static_cast<int64_t>(now));
    insert->bind(4, static_cast<int64_t>(now));
    insert->step();
    return insert->int64(0);
}

bool SegmentStore::update(std::int64_t id, const std::string& name, const std::string& filter_json, std::int64_t now) {
    auto update = m_statements("UPDATE segments SET name = ?, filter = ?, updated_at = ? WHERE id = ?");
    update->bind(1, name);
    update->bind(2, filter_json);
    update->bind(3, static_cast<int64_t>(now));
    update->bind(4, static_cast<int64_t>(id));
    return update->run() > 0;
}

bool SegmentStore::remove(std::int64_t id) {
    auto remove = m_statements("DELETE FROM segments WHERE id = ?");
    remove->bind(1, static_cast<int64_t>(id));
    return remove->run() > 0;
}

std::optional<SavedSegment> SegmentStore::get(std::int64_t id) {
    auto query = m_statements("SELECT id, name, filter, created_at, updated_at FROM segments WHERE id = ?");
    query->bind(1, static_cast<int64_t>(id));
    if (!query->step()) {
        return std::nullopt;
    }
    return read_segment(*query);
}

std::vector<SavedSegment> SegmentStore::list() {
    auto query = m_statements("SELECT id, name, filter, created_at, updated_at FROM segments ORDER BY id");
    std::vector<SavedSegment> segments;
    while (query->step()) {
        segments.push_back(read_segment(*query));
    }
    return segments;
}

std::int64_t SegmentStore::count(const SegmentFilter& filter, const SegmentClock& clock) {
    const Condition condition(filter, clock);
    auto query = m_statements("SELECT count(*) FROM customers c WHERE " + condition.sql());
    condition.bind(*query);
    query->step();
    return query->int64(0);
}

std::vector<std::int64_t> SegmentStore::member_ids(const SegmentFilter& filter, const SegmentClock& clock,
                                                   std::int64_t after_id, int limit) {
    const Condition condition(filter, clock);
    auto query =
        m_statements("SELECT c.id FROM customers c WHERE " + condition.sql() + " AND c.id > ? ORDER BY c.id LIMIT ?");
    int next = condition.bind(*query);
    query->bind(next++, static_cast<int64_t>(after_id));
    query->bind(next, limit);
    std::vector<std::int64_t> ids;
    while (query->step()) {
        ids.push_back(query->int64(0));
    }
    return ids;
}

void SegmentStore::for_each_reach(const SegmentFilter& filter, const SegmentClock& clock,
                                  const std::function<void(const MemberReach&)>& visit) {
    const Condition condition(filter, clock);
    const auto last_on = [](const char* channel) {
        return std::string("(SELECT max(coalesce(i.last_interaction_at, 0)) FROM customer_identities i "
                           "WHERE i.customer_id = c.id AND i.channel = '") +
               channel + "')";
    };
    auto query = m_statements("SELECT c.unfollowed_at IS NOT NULL, " + last_on("zalo") + ", " + last_on("messenger") +
                              ", c.phone IS NOT NULL FROM customers c WHERE " + condition.sql());
    condition.bind(*query);
    while (query->step()) {
        MemberReach reach;
        const auto zalo = optional_int(*query, 1);
        const auto messenger = optional_int(*query, 2);
        reach.on_zalo = zalo.has_value() && query->int32(0) == 0;
        reach.zalo_last_interaction_at = zalo && *zalo > 0 ? zalo : std::nullopt;
        reach.on_messenger = messenger.has_value();
        reach.messenger_last_interaction_at = messenger && *messenger > 0 ? messenger : std::nullopt;
        reach.has_phone = query->int32(3) != 0;
        visit(reach);
    }
}

} // namespace pheu::store
