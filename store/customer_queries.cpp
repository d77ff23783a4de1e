#include "store/customer_queries.h"

#include "common/text_fold.h"

#include "store/sql_helpers.h"

namespace pheu::store {

namespace {

constexpr const char* k_customer_columns =
    "c.id, c.stage, c.name, c.phone, c.last_interaction_at, c.interaction_count, c.first_seen_at, c.first_source, "
    "c.stage_changed_at, c.next_stage_check_at, c.created_at, c.opted_out, c.is_follower, c.birthday, c.gender, "
    "c.address, c.cart, c.orders_count, c.total_spent, c.last_order_at";

CustomerView read_customer(sql::Statement& row) {
    CustomerView view;
    view.id = row.int64(0);
    view.stage = row.text(1);
    view.name = optional_text(row, 2);
    view.phone = optional_text(row, 3);
    view.last_interaction_at = optional_int(row, 4);
    view.interaction_count = row.int64(5);
    view.first_seen_at = optional_int(row, 6);
    view.first_source = optional_text(row, 7);
    view.stage_changed_at = optional_int(row, 8);
    view.next_stage_check_at = optional_int(row, 9);
    view.created_at = row.int64(10);
    view.opted_out = row.int32(11) != 0;
    view.is_follower = row.int32(12) != 0;
    view.birthday = optional_text(row, 13);
    view.gender = optional_text(row, 14);
    view.address_json = optional_text(row, 15);
    view.cart_json = optional_text(row, 16);
    view.orders_count = row.int64(17);
    view.total_spent = row.int64(18);
    view.last_order_at = optional_int(row, 19);
    return view;
}

} // namespace

CustomerQueries::CustomerQueries(sql::Connection& db) : m_statements(db) {}

void CustomerQueries::fill_details(CustomerView& view) {
    auto identities = m_statements("SELECT channel, external_id FROM customer_identities WHERE customer_id = ? "
                                   "ORDER BY created_at, channel");
    identities->bind(1, static_cast<int64_t>(view.id));
    while (identities->step()) {
        view.identities.emplace_back(identities->text(0), identities->text(1));
    }
    // Favourite categories: by quantity bought, then by products viewed.
    auto categories =
        m_statements("SELECT category FROM ("
                     "  SELECT json_extract(item.value, '$.category') AS category,"
                     "         sum(coalesce(CAST(json_extract(item.value, '$.quantity') AS BIGINT), 1)) AS weight"
                     "  FROM orders o, json_each(o.items) AS item"
                     "  WHERE o.customer_id = ? AND o.cancelled_at IS NULL GROUP BY category) AS weighed"
                     " WHERE category IS NOT NULL AND category != '' ORDER BY weight DESC, category LIMIT 3");
    categories->bind(1, static_cast<int64_t>(view.id));
    while (categories->step()) {
        view.favourite_categories.push_back(categories->text(0));
    }
}

std::vector<CustomerView> CustomerQueries::list(const CustomerFilter& filter) {
    std::string sql = std::string("SELECT ") + k_customer_columns + " FROM customers c";
    if (filter.identity) {
        sql += " JOIN customer_identities i ON i.customer_id = c.id AND i.channel = :channel AND i.external_id = "
               ":external";
    }
    sql += " WHERE c.merged_into IS NULL AND c.id > :after";
    if (filter.stage) {
        sql += " AND c.stage = :stage";
    }
    if (filter.search) {
        sql += " AND (c.name_folded LIKE :like ESCAPE '\\' OR c.phone = :phone OR EXISTS (SELECT 1 FROM "
               "customer_identities s "
               "WHERE s.customer_id = c.id AND s.external_id = :search))";
    }
    sql += " ORDER BY c.id LIMIT :limit";
    auto query = m_statements(sql);
    if (filter.identity) {
        query->bind(":channel", filter.identity->first);
        query->bind(":external", filter.identity->second);
    }
    if (filter.stage) {
        query->bind(":stage", *filter.stage);
    }
    if (filter.search) {
        std::string like = "%";
        for (char c : common::fold_vietnamese(*filter.search)) {
            if (c == '%' || c == '_' || c == '\\') {
                like += '\\';
            }
            like += c;
        }
        query->bind(":like", like + "%");
        query->bind(":phone", filter.search_phone.value_or(""));
        query->bind(":search", *filter.search);
    }
    query->bind(":after", static_cast<int64_t>(filter.after_id));
    query->bind(":limit", filter.limit);
    std::vector<CustomerView> views;
    while (query->step()) {
        views.push_back(read_customer(*query));
    }
    for (auto& view : views) {
        fill_details(view);
    }
    return views;
}

std::optional<CustomerView> CustomerQueries::get(std::int64_t id) {
    // Follow merges to the customer that absorbed this one.
    for (int hops = 0; hops < 16; ++hops) {
        auto merged = m_statements("SELECT merged_into FROM customers WHERE id = ?");
        merged->bind(1, static_cast<int64_t>(id));
        if (!merged->step()) {
            return std::nullopt;
        }
        if (merged->is_null(0)) {
            break;
        }
        id = merged->int64(0);
    }
    auto query = m_statements(std::string("SELECT ") + k_customer_columns + " FROM customers c WHERE c.id = ?");
    query->bind(1, static_cast<int64_t>(id));
    if (!query->step()) {
        return std::nullopt;
    }
    CustomerView view = read_customer(*query);
    query->reset();
    fill_details(view);
    return view;
}

std::vector<StageHistoryRow> CustomerQueries::stage_history(std::int64_t id) {
    auto query = m_statements("SELECT from_stage, to_stage, changed_at, reason FROM stage_history "
                              "WHERE customer_id = ? ORDER BY id");
    query->bind(1, static_cast<int64_t>(id));
    std::vector<StageHistoryRow> rows;
    while (query->step()) {
        rows.push_back(StageHistoryRow{optional_text(*query, 0), query->text(1), query->int64(2), query->text(3)});
    }
    return rows;
}

std::vector<TimelineRow> CustomerQueries::timeline(std::int64_t id, int limit) {
    auto query = m_statements("SELECT seq, source, kind, occurred_at, event FROM inbox_events "
                              "WHERE customer_id = ? ORDER BY occurred_at DESC, seq DESC LIMIT ?");
    query->bind(1, static_cast<int64_t>(id));
    query->bind(2, limit);
    std::vector<TimelineRow> rows;
    while (query->step()) {
        rows.push_back(TimelineRow{query->int64(0), query->text(1), query->text(2), query->int64(3), query->text(4)});
    }
    return rows;
}

namespace {

constexpr const char* k_message_columns = "id, customer_id, channel, status, reason, trigger, template, text, "
                                          "created_at, attempts, via, platform_message_id, "
                                          "platform_code, sent_at, delivered_at, seen_at";

MessageRow read_message(sql::Statement& query) {
    return MessageRow{query.int64(0),
                      query.int64(1),
                      query.text(2),
                      query.text(3),
                      optional_text(query, 4),
                      query.text(5),
                      optional_text(query, 6),
                      optional_text(query, 7),
                      query.int64(8),
                      query.int32(9),
                      optional_text(query, 10),
                      optional_text(query, 11),
                      optional_text(query, 12),
                      optional_int(query, 13),
                      optional_int(query, 14),
                      optional_int(query, 15)};
}

} // namespace

void CustomerQueries::for_each_stage_fact(const std::function<void(const StageFactRow&)>& visit) {
    auto query = m_statements("SELECT c.id, c.last_interaction_at, o.order_id, "
                              "coalesce(o.placed_at, o.cancelled_at, o.recorded_at), o.cancelled_at IS NOT NULL "
                              "FROM customers c LEFT JOIN orders o ON o.customer_id = c.id "
                              "WHERE c.merged_into IS NULL ORDER BY c.id");
    while (query->step()) {
        visit(StageFactRow{.customer_id = query->int64(0),
                           .last_interaction_at = optional_int(*query, 1),
                           .order_id = optional_text(*query, 2),
                           .order_at = query->int64(3),
                           .cancelled = query->int32(4) != 0});
    }
}

std::vector<MessageRow> CustomerQueries::messages(std::int64_t id) {
    auto query = m_statements(std::string("SELECT ") + k_message_columns +
                              " FROM outbox WHERE customer_id = ? AND kind = 'message' ORDER BY id");
    query->bind(1, static_cast<int64_t>(id));
    std::vector<MessageRow> rows;
    while (query->step()) {
        rows.push_back(read_message(*query));
    }
    return rows;
}

std::vector<MessageRow> CustomerQueries::list_messages(const MessageFilter& filter) {
    std::string sql = std::string("SELECT ") + k_message_columns + " FROM outbox WHERE kind = 'message'";
    if (filter.status) {
        sql += " AND status = :status";
    }
    if (filter.reason_prefix) {
        sql += " AND substr(reason, 1, length(:reason)) = :reason";
    }
    if (filter.channel) {
        sql += " AND channel = :channel";
    }
    if (filter.before_id) {
        sql += " AND id < :before";
    }
    sql += " ORDER BY id DESC LIMIT :limit";
    auto query = m_statements(sql);
    if (filter.status) {
        query->bind(":status", *filter.status);
    }
    if (filter.reason_prefix) {
        query->bind(":reason", *filter.reason_prefix);
    }
    if (filter.channel) {
        query->bind(":channel", *filter.channel);
    }
    if (filter.before_id) {
        query->bind(":before", static_cast<int64_t>(*filter.before_id));
    }
    query->bind(":limit", filter.limit);
    std::vector<MessageRow> rows;
    while (query->step()) {
        rows.push_back(read_message(*query));
    }
    return rows;
}

} // namespace pheu::store
