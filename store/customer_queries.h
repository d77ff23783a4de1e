#pragma once
// The read side of customers for the admin API: lookups, lists, detail, history, timeline.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pheu::store {

struct CustomerView {
    std::int64_t id = 0;
    std::string stage;
    std::optional<std::string> name;
    std::optional<std::string> phone;
    std::vector<std::pair<std::string, std::string>> identities; // (channel, id)
    std::int64_t orders_count = 0;
    std::int64_t total_spent = 0;
    std::optional<std::int64_t> last_order_at;
    std::optional<std::int64_t> last_interaction_at;
    std::int64_t interaction_count = 0;
    std::optional<std::int64_t> first_seen_at;
    std::optional<std::string> first_source;
    std::optional<std::int64_t> stage_changed_at;
    std::optional<std::int64_t> next_stage_check_at;
    std::int64_t created_at = 0;
    bool opted_out = false;
    bool is_follower = false;
    std::optional<std::string> birthday;
    std::optional<std::string> gender;
    std::optional<std::string> address_json;
    std::optional<std::string> cart_json;
    std::vector<std::string> favourite_categories;
};

struct CustomerFilter {
    std::optional<std::pair<std::string, std::string>> identity; // (channel, id)
    std::optional<std::string> stage;
    // Free text: part of the name, a phone (84… form) or any identity's exact id.
    std::optional<std::string> search;
    std::optional<std::string> search_phone;
    std::int64_t after_id = 0; // the cursor: customers with a larger id
    int limit = 50;
};

struct StageHistoryRow {
    std::optional<std::string> from_stage;
    std::string to_stage;
    std::int64_t changed_at = 0;
    std::string reason;
};

struct TimelineRow {
    std::int64_t seq = 0;
    std::string source;
    std::string kind;
    std::int64_t occurred_at = 0;
    std::string event_json;
};

struct MessageRow {
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    std::string channel;
    std::string status;
    std::optional<std::string> reason;
    std::string trigger;
    std::optional<std::string> template_id;
    std::optional<std::string> text;
    std::int64_t created_at = 0;
    // Delivery: what the platform said and when.
    int attempts = 0;
    std::optional<std::string> via;
    std::optional<std::string> platform_message_id;
    std::optional<std::string> platform_code;
    std::optional<std::int64_t> sent_at;
    std::optional<std::int64_t> delivered_at;
    std::optional<std::int64_t> seen_at;
};

// One row of a customer's stage facts: the customer's last interaction with one of their
// orders (a customer without orders has one row, without an order).
struct StageFactRow {
    std::int64_t customer_id = 0;
    std::optional<std::int64_t> last_interaction_at = std::nullopt;
    std::optional<std::string> order_id = std::nullopt;
    std::int64_t order_at = 0; // placed, else cancelled, else recorded: as the stage keeper reads it
    bool cancelled = false;
};

// The console's message list: any combination of filters, newest first, a page at a time.
struct MessageFilter {
    std::optional<std::string> status;
    std::optional<std::string> reason_prefix; // "daily_cap", "window_closed", …
    std::optional<std::string> channel;
    std::optional<std::int64_t> before_id; // the cursor
    int limit = 50;
};

class CustomerQueries {
public:
    explicit CustomerQueries(sql::Connection& db);

    // In id order; merged customers are never listed (their identities moved on).
    std::vector<CustomerView> list(const CustomerFilter& filter);
    // A merged customer's id leads to the customer it was merged into.
    std::optional<CustomerView> get(std::int64_t id);
    std::vector<StageHistoryRow> stage_history(std::int64_t id);
    std::vector<TimelineRow> timeline(std::int64_t id, int limit);
    std::vector<MessageRow> messages(std::int64_t id);
    std::vector<MessageRow> list_messages(const MessageFilter& filter);
    // Every customer kept (not merged away) with their orders, in customer id order, a row at
    // a time: what a stage is decided from, for a preview of other thresholds.
    void for_each_stage_fact(const std::function<void(const StageFactRow&)>& visit);

private:
    void fill_details(CustomerView& view);

    StatementCache m_statements;
};

} // namespace pheu::store
