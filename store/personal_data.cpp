#include "store/personal_data.h"

#include "store/sql_helpers.h"
#include "store/statement_cache.h"

#include <string>

namespace pheu::store {

namespace {

using nlohmann::json;

void bind_ids(sql::Statement& statement, const std::vector<std::int64_t>& ids, int first = 1) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
        statement.bind(first + static_cast<int>(i), static_cast<int64_t>(ids[i]));
    }
}

json value_of(const sql::Statement& row, int column) {
    switch (row.kind(column)) {
    case sql::Statement::Kind::null:
        return nullptr;
    case sql::Statement::Kind::integer:
        return row.int64(column);
    case sql::Statement::Kind::real:
        return row.real(column);
    case sql::Statement::Kind::text:
        break;
    }
    return row.text(column);
}

// Every row of `sql` (its ids bound to the person's), column by column.
json rows_of(StatementCache& statements, const std::string& sql, const std::vector<std::int64_t>& ids) {
    auto query = statements(sql);
    bind_ids(*query, ids);
    json rows = json::array();
    while (query->step()) {
        json row = json::object();
        for (int i = 0; i < query->column_count(); ++i) {
            row[query->column_name(i)] = value_of(*query, i);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

int run(StatementCache& statements, const std::string& sql, const std::vector<std::int64_t>& ids,
        std::int64_t now_ms = 0, bool binds_time = false) {
    auto statement = statements(sql);
    int first = 1;
    if (binds_time) {
        statement->bind(1, static_cast<int64_t>(now_ms));
        first = 2;
    }
    bind_ids(*statement, ids, first);
    return static_cast<int>(statement->run());
}

} // namespace

std::vector<std::int64_t> person_of(sql::Connection& db, std::int64_t customer_id) {
    std::vector<std::int64_t> ids = {customer_id};
    StatementCache statements(db);
    auto merged = statements("SELECT id FROM customers WHERE merged_into = ?");
    for (std::size_t next = 0; next < ids.size(); ++next) {
        merged->bind(1, static_cast<int64_t>(ids[next]));
        while (merged->step()) {
            ids.push_back(merged->int64(0));
        }
        merged->reset();
    }
    return ids;
}

json personal_data(sql::Connection& db, std::int64_t customer_id) {
    const std::vector<std::int64_t> ids = person_of(db, customer_id);
    const std::string in = "(" + placeholder_list(ids.size()) + ")";
    StatementCache statements(db);
    json data = json::object();
    data["profile"] = rows_of(statements, "SELECT * FROM customers WHERE id IN " + in + " ORDER BY id", ids);
    data["identities"] = rows_of(statements, "SELECT * FROM customer_identities WHERE customer_id IN " + in, ids);
    data["events"] = rows_of(statements,
                             "SELECT seq, source, account_id, kind, occurred_at, received_at, state, event, raw "
                             "FROM inbox_events WHERE customer_id IN " +
                                 in + " ORDER BY seq",
                             ids);
    for (json& event : data["events"]) {
        // The event as pheu read it, as JSON rather than a string of JSON.
        json parsed = json::parse(event["event"].get<std::string>(), nullptr, false);
        if (!parsed.is_discarded()) {
            event["event"] = std::move(parsed);
        }
    }
    data["orders"] =
        rows_of(statements, "SELECT * FROM orders WHERE customer_id IN " + in + " ORDER BY placed_at", ids);
    data["messages"] = rows_of(statements,
                               "SELECT id, kind, channel, account_id, recipient, status, reason, trigger, template, "
                               "text, created_at, sent_at FROM outbox WHERE customer_id IN " +
                                   in + " ORDER BY id",
                               ids);
    data["vouchers"] =
        rows_of(statements, "SELECT * FROM voucher_codes WHERE customer_id IN " + in + " OR redeemed_by IN " + in, [&] {
            std::vector<std::int64_t> twice = ids;
            twice.insert(twice.end(), ids.begin(), ids.end());
            return twice;
        }());
    data["stage_history"] =
        rows_of(statements, "SELECT * FROM stage_history WHERE customer_id IN " + in + " ORDER BY id", ids);
    data["journeys"] = rows_of(statements, "SELECT * FROM journeys WHERE customer_id IN " + in, ids);
    data["product_views"] = rows_of(statements, "SELECT * FROM product_views WHERE customer_id IN " + in, ids);
    data["game_plays"] = rows_of(statements, "SELECT * FROM game_plays WHERE customer_id IN " + in, ids);
    data["survey_answers"] = rows_of(statements, "SELECT * FROM survey_answers WHERE customer_id IN " + in, ids);
    data["zalo_tags"] = rows_of(statements, "SELECT * FROM customer_tags WHERE customer_id IN " + in, ids);
    data["links"] =
        rows_of(statements,
                "SELECT id, url, message_key, trigger, channel, created_at FROM links WHERE customer_id IN " + in +
                    " ORDER BY id",
                ids);
    data["link_clicks"] =
        rows_of(statements, "SELECT * FROM link_clicks WHERE customer_id IN " + in + " ORDER BY id", ids);
    return data;
}

Erasure erase_personal_data(sql::Connection& db, std::int64_t customer_id, std::int64_t now_ms) {
    const std::vector<std::int64_t> ids = person_of(db, customer_id);
    const std::string in = "(" + placeholder_list(ids.size()) + ")";
    StatementCache statements(db);
    Erasure erased;
    erased.customers = run(statements,
                           "UPDATE customers SET name = NULL, name_folded = NULL, phone = NULL, birthday = NULL, "
                           "gender = NULL, address = NULL, cart = NULL, avatar_url = NULL, phone_consent_at = NULL, "
                           "next_stage_check_at = NULL, city_key = NULL, birth_month = NULL, gender_key = NULL, "
                           "erased_at = ? WHERE id IN " +
                               in,
                           ids, now_ms, true);
    erased.identities = run(statements, "DELETE FROM customer_identities WHERE customer_id IN " + in, ids);
    // A dedupe key carries the platform's id of the person: each becomes one that names only
    // its row, in SQLite's settled keys too (PostgreSQL keeps its keys in the inbox alone).
    if (db.backend() == sql::Backend::sqlite) {
        run(statements,
            "UPDATE inbox_settled_keys SET dedupe_key = 'erased:' || seq WHERE seq IN "
            "(SELECT seq FROM inbox_events WHERE customer_id IN " +
                in + ")",
            ids);
    }
    erased.events = run(statements,
                        "UPDATE inbox_events SET dedupe_key = 'erased:' || seq, raw = '', "
                        "event = json_object('kind', kind, 'source', source, 'erased', json('true')), error = NULL "
                        "WHERE customer_id IN " +
                            in,
                        ids);
    // What was still to go, goes nowhere.
    run(statements,
        "UPDATE outbox SET status = 'skipped', reason = 'erased', sending_since = NULL, updated_at = ? "
        "WHERE status = 'queued' AND customer_id IN " +
            in,
        ids, now_ms, true);
    erased.messages =
        run(statements, "UPDATE outbox SET text = '', recipient = '', payload = '{}' WHERE customer_id IN " + in, ids);
    run(statements, "DELETE FROM journeys WHERE customer_id IN " + in, ids);
    run(statements, "DELETE FROM product_views WHERE customer_id IN " + in, ids);
    run(statements, "DELETE FROM customer_tags WHERE customer_id IN " + in, ids);
    // A link's address may carry what a template put in it (a name, a phone); its clicks
    // stay counted, and the short link leads nowhere any more.
    run(statements, "UPDATE links SET url = '' WHERE customer_id IN " + in, ids);
    return erased;
}

} // namespace pheu::store
