#include "store/customer_store.h"

#include "common/birthday.h"
#include "common/city.h"
#include "common/gender.h"
#include "common/text_fold.h"
#include "store/chat_contact.h"
#include "store/sql_helpers.h"

#include <nlohmann/json.hpp>
#include <string>

namespace pheu::store {

namespace {

// The city key of an address as the profile holds it ({"city": …}), as SQLite's trigger
// computes it from json_extract(address, '$.city'): none without a city.
std::optional<std::string> city_key_of_address(const std::string& address_json) {
    if (address_json.empty()) {
        return std::nullopt;
    }
    const auto address = nlohmann::json::parse(address_json, nullptr, false);
    if (!address.is_object() || !address.contains("city") || address["city"].is_null()) {
        return std::nullopt;
    }
    const auto& city = address["city"];
    return common::city_key(city.is_string() ? city.get<std::string>() : city.dump());
}

const std::string k_find_identity_sql =
    "SELECT customer_id FROM customer_identities WHERE channel = ? AND external_id = ?";
const std::string k_create_sql =
    "INSERT INTO customers (created_at, first_seen_at, first_source) VALUES (?, ?, ?) RETURNING id";
const std::string k_add_identity_sql =
    "INSERT INTO customer_identities (channel, external_id, account_id, customer_id, created_at, "
    "last_interaction_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
const std::string k_touch_identity_sql =
    "UPDATE customer_identities SET last_interaction_at = max(coalesce(last_interaction_at, ?1), "
    "?1) WHERE channel = ?2 AND external_id = ?3 RETURNING customer_id, " +
    chat_contact_before("customer_identities.customer_id");
const std::string k_set_follower_sql = "UPDATE customers SET is_follower = ? WHERE id = ?";
const std::string k_update_profile_sql =
    "UPDATE customers SET name = coalesce(?1, name), name_folded = coalesce(?7, name_folded), "
    "phone = coalesce(?2, phone), "
    "birthday = coalesce(?3, birthday), gender = coalesce(?4, gender), "
    "address = coalesce(?5, address), "
    // The keys a segment compares, computed here for both backends (common/city.h,
    // common/birthday.h, common/gender.h); SQLite's triggers of migration 23 agree.
    "city_key = CASE WHEN ?5 IS NULL THEN city_key ELSE ?8 END, "
    "birth_month = CASE WHEN ?3 IS NULL THEN birth_month ELSE ?9 END, "
    "gender_key = CASE WHEN ?4 IS NULL THEN gender_key ELSE ?10 END WHERE id = ?6";
const std::string k_set_name_if_missing_sql =
    "UPDATE customers SET name = ?1, name_folded = ?3 WHERE id = ?2 AND name IS NULL";
const std::string k_set_cart_sql = "UPDATE customers SET cart = ? WHERE id = ?";
const std::string k_note_menu_shown_sql = "UPDATE customers SET menu_shown_at = ? WHERE id = ?";
const std::string k_note_told_sql =
    "UPDATE customers SET size_told_at = CASE WHEN CAST(?1 AS INTEGER) = 1 THEN CAST(?3 AS BIGINT) ELSE size_told_at "
    "END, measurements_told_at = CASE WHEN CAST(?2 AS INTEGER) = 1 THEN CAST(?3 AS BIGINT) ELSE measurements_told_at "
    "END WHERE id = ?4";
// The customer and their orders in one statement: a row per order, or one without.
const std::string k_stage_of_sql =
    "SELECT c.stage, c.last_interaction_at, c.stage_changed_at IS NOT NULL, c.stage_changed_at, "
    "o.order_id, coalesce(o.placed_at, o.cancelled_at, o.recorded_at), o.cancelled_at IS NOT NULL "
    "FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE c.id = ?";
const std::string k_record_stage_check_sql =
    "UPDATE customers SET "
    // CAST: PostgreSQL types a parameter by its first use, and IS NULL alone tells none.
    "last_interaction_at = CASE WHEN CAST(?1 AS BIGINT) IS NULL THEN last_interaction_at "
    "  ELSE max(coalesce(last_interaction_at, ?1), ?1) END, "
    "interaction_count = interaction_count + CASE WHEN ?1 IS NULL THEN 0 ELSE 1 END, next_stage_check_at = ?2, "
    "stage = coalesce(?3, stage), "
    "stage_changed_at = CASE WHEN ?3 IS NULL THEN stage_changed_at ELSE ?4 END "
    "WHERE id = ?5";
const std::string k_add_history_sql =
    "INSERT INTO stage_history (customer_id, from_stage, to_stage, changed_at, reason) "
    "VALUES (?, ?, ?, ?, ?)";
const std::string k_due_sql =
    "SELECT id FROM customers WHERE next_stage_check_at <= ? ORDER BY next_stage_check_at LIMIT ?";
// `channel || ''`: without statistics SQLite's planner preferred the primary key's channel
// prefix, a walk over every identity on the channel, to the customer's own few; an
// expression is no index's column. (SQLite's unary `+channel` did the same, and PostgreSQL
// has no unary + for text.)
const std::string k_identity_on_sql = "SELECT external_id, account_id FROM customer_identities "
                                      "WHERE customer_id = ? AND channel || '' = ? "
                                      "ORDER BY created_at DESC LIMIT 1";

} // namespace

CustomerStore::CustomerStore(sql::Connection& db) : m_statements(db) {}

std::optional<std::int64_t> CustomerStore::find_by_identity(const std::string& channel,
                                                            const std::string& external_id) {
    auto find_identity_statement = m_statements(k_find_identity_sql);
    find_identity_statement->bind(1, channel);
    find_identity_statement->bind(2, external_id);
    std::optional<std::int64_t> found;
    if (find_identity_statement->step()) {
        found = find_identity_statement->int64(0);
    }
    return found;
}

std::int64_t CustomerStore::create(std::int64_t now_ms, std::int64_t first_seen_ms, const std::string& first_source) {
    auto create_statement = m_statements(k_create_sql);
    create_statement->bind(1, static_cast<int64_t>(now_ms));
    create_statement->bind(2, static_cast<int64_t>(first_seen_ms));
    create_statement->bind(3, first_source);
    create_statement->step();
    std::int64_t id = create_statement->int64(0);
    return id;
}

void CustomerStore::add_identity(const std::string& channel, const std::string& external_id,
                                 const std::string& account_id, std::int64_t customer_id, std::int64_t now_ms,
                                 std::optional<std::int64_t> interaction_at) {
    auto add_identity_statement = m_statements(k_add_identity_sql);
    add_identity_statement->bind(1, channel);
    add_identity_statement->bind(2, external_id);
    add_identity_statement->bind(3, account_id);
    add_identity_statement->bind(4, static_cast<int64_t>(customer_id));
    add_identity_statement->bind(5, static_cast<int64_t>(now_ms));
    bind_optional_int(*add_identity_statement, 6, interaction_at);
    add_identity_statement->run();
}

std::optional<CustomerStore::TouchedIdentity>
CustomerStore::touch_identity(const std::string& channel, const std::string& external_id, std::int64_t at_ms) {
    auto touch_identity_statement = m_statements(k_touch_identity_sql);
    touch_identity_statement->bind(1, static_cast<int64_t>(at_ms));
    touch_identity_statement->bind(2, channel);
    touch_identity_statement->bind(3, external_id);
    std::optional<TouchedIdentity> touched;
    if (touch_identity_statement->step()) {
        touched = TouchedIdentity{.customer_id = touch_identity_statement->int64(0),
                                  .chatted_before = touch_identity_statement->int32(1) != 0};
    }
    return touched;
}

void CustomerStore::set_follower(std::int64_t customer_id, bool follower) {
    auto set_follower_statement = m_statements(k_set_follower_sql);
    set_follower_statement->bind(1, follower ? 1 : 0);
    set_follower_statement->bind(2, static_cast<int64_t>(customer_id));
    set_follower_statement->run();
}

void CustomerStore::update_profile(std::int64_t customer_id, const ProfileUpdate& update) {
    auto update_profile_statement = m_statements(k_update_profile_sql);
    bind_text_or_null(*update_profile_statement, 1, update.name);
    bind_text_or_null(*update_profile_statement, 2, update.phone);
    bind_text_or_null(*update_profile_statement, 3, update.birthday);
    bind_text_or_null(*update_profile_statement, 4, update.gender);
    bind_text_or_null(*update_profile_statement, 5, update.address_json);
    update_profile_statement->bind(6, static_cast<int64_t>(customer_id));
    // Folded here, not by SQL: one folding for both backends (common/text_fold.h).
    if (!update.name.empty()) {
        update_profile_statement->bind(7, common::fold_vietnamese(update.name));
    }
    if (const auto city = city_key_of_address(update.address_json)) {
        update_profile_statement->bind(8, *city);
    }
    if (const auto birthday = update.birthday.empty() ? std::nullopt : common::parse_birthday(update.birthday)) {
        update_profile_statement->bind(9, static_cast<std::int64_t>(birthday->month));
    }
    if (const auto gender = update.gender.empty() ? std::nullopt : common::parse_gender(update.gender)) {
        update_profile_statement->bind(10, common::gender_id(*gender));
    }
    update_profile_statement->run();
}

void CustomerStore::set_phone_consent(std::int64_t customer_id, std::int64_t at_ms) {
    auto update = m_statements("UPDATE customers SET phone_consent_at = ? WHERE id = ?");
    update->bind(1, static_cast<int64_t>(at_ms));
    update->bind(2, static_cast<int64_t>(customer_id));
    update->run();
}

void CustomerStore::set_zalo_tag(std::int64_t customer_id, const std::string& tag, bool tagged, std::int64_t at_ms) {
    if (!tagged) {
        auto remove = m_statements("DELETE FROM customer_tags WHERE customer_id = ? AND tag = ?");
        remove->bind(1, static_cast<int64_t>(customer_id));
        remove->bind(2, tag);
        remove->run();
        return;
    }
    auto add = m_statements("INSERT INTO customer_tags (customer_id, tag, tagged_at) VALUES (?, ?, ?) "
                            "ON CONFLICT (customer_id, tag) DO NOTHING");
    add->bind(1, static_cast<int64_t>(customer_id));
    add->bind(2, tag);
    add->bind(3, static_cast<int64_t>(at_ms));
    add->run();
}

void CustomerStore::drop_zalo_tag(const std::string& tag) {
    auto remove = m_statements("DELETE FROM customer_tags WHERE tag = ?");
    remove->bind(1, tag);
    remove->run();
}

void CustomerStore::set_name_if_missing(std::int64_t customer_id, const std::string& name) {
    auto set_name_if_missing_statement = m_statements(k_set_name_if_missing_sql);
    set_name_if_missing_statement->bind(1, name);
    set_name_if_missing_statement->bind(2, static_cast<int64_t>(customer_id));
    set_name_if_missing_statement->bind(3, common::fold_vietnamese(name));
    set_name_if_missing_statement->run();
}

void CustomerStore::set_cart(std::int64_t customer_id, const std::optional<std::string>& cart_json) {
    auto set_cart_statement = m_statements(k_set_cart_sql);
    if (cart_json) {
        set_cart_statement->bind(1, *cart_json);
    } else {
        set_cart_statement->bind_null(1);
    }
    set_cart_statement->bind(2, static_cast<int64_t>(customer_id));
    set_cart_statement->run();
}

void CustomerStore::note_menu_shown(std::int64_t customer_id, std::int64_t at_ms) {
    auto note = m_statements(k_note_menu_shown_sql);
    note->bind(1, static_cast<int64_t>(at_ms));
    note->bind(2, static_cast<int64_t>(customer_id));
    note->run();
}

void CustomerStore::note_told(std::int64_t customer_id, ToldInMessage told, std::int64_t at_ms) {
    if (!told.size && !told.measurements) {
        return;
    }
    auto note = m_statements(k_note_told_sql);
    note->bind(1, told.size ? 1 : 0);
    note->bind(2, told.measurements ? 1 : 0);
    note->bind(3, static_cast<int64_t>(at_ms));
    note->bind(4, static_cast<int64_t>(customer_id));
    note->run();
}

StageRow CustomerStore::stage_of(std::int64_t customer_id) {
    auto stage_of_statement = m_statements(k_stage_of_sql);
    stage_of_statement->bind(1, static_cast<int64_t>(customer_id));
    StageRow row;
    while (stage_of_statement->step()) {
        row.stage = stage_of_statement->text(0);
        row.last_interaction_at = optional_int(*stage_of_statement, 1);
        row.ever_staged = stage_of_statement->int32(2) != 0;
        row.stage_changed_at = optional_int(*stage_of_statement, 3);
        if (!stage_of_statement->is_null(4)) {
            row.orders.push_back(
                OrderRow{stage_of_statement->text(4), stage_of_statement->int64(5), stage_of_statement->int32(6) != 0});
        }
    }
    return row;
}

void CustomerStore::record_stage_check(std::int64_t customer_id, const StageCheck& check) {
    auto record_stage_check_statement = m_statements(k_record_stage_check_sql);
    bind_optional_int(*record_stage_check_statement, 1, check.interaction_at);
    bind_optional_int(*record_stage_check_statement, 2, check.next_check_at);
    if (check.entered_stage) {
        record_stage_check_statement->bind(3, *check.entered_stage);
    } else {
        record_stage_check_statement->bind_null(3);
    }
    record_stage_check_statement->bind(4, static_cast<int64_t>(check.entered_at));
    record_stage_check_statement->bind(5, static_cast<int64_t>(customer_id));
    record_stage_check_statement->run();
}

void CustomerStore::add_stage_history(std::int64_t customer_id, const std::optional<std::string>& from_stage,
                                      const std::string& to_stage, std::int64_t changed_at, const std::string& reason) {
    auto add_history_statement = m_statements(k_add_history_sql);
    add_history_statement->bind(1, static_cast<int64_t>(customer_id));
    if (from_stage) {
        add_history_statement->bind(2, *from_stage);
    } else {
        add_history_statement->bind_null(2);
    }
    add_history_statement->bind(3, to_stage);
    add_history_statement->bind(4, static_cast<int64_t>(changed_at));
    add_history_statement->bind(5, reason);
    add_history_statement->run();
}

std::vector<std::int64_t> CustomerStore::due_for_stage_check(std::int64_t now_ms, int limit) {
    // Claimed: two instances' schedulers take different customers (and wait for no worker
    // holding one).
    auto due_statement = m_statements(k_due_sql + skip_claimed(m_statements.backend()));
    std::vector<std::int64_t> due;
    due_statement->bind(1, static_cast<int64_t>(now_ms));
    due_statement->bind(2, limit);
    while (due_statement->step()) {
        due.push_back(due_statement->int64(0));
    }
    return due;
}

std::optional<CustomerStore::Identity> CustomerStore::identity_on(std::int64_t customer_id,
                                                                  const std::string& channel) {
    auto identity_on_statement = m_statements(k_identity_on_sql);
    identity_on_statement->bind(1, static_cast<int64_t>(customer_id));
    identity_on_statement->bind(2, channel);
    std::optional<Identity> found;
    if (identity_on_statement->step()) {
        found = Identity{identity_on_statement->text(0), identity_on_statement->text(1)};
    }
    return found;
}

void CustomerStore::merge(std::int64_t kept, std::int64_t merged, std::int64_t now_ms, const std::string& reason) {
    // Rare (a handful per day in a large shop); the cache keeps its few statements anyway.
    // ?1 is the customer kept, ?2 the one merged into it.
    auto run = [&](const std::string& sql) {
        auto statement = m_statements(sql);
        statement->bind(1, static_cast<int64_t>(kept));
        if (sql.find("?2") != std::string::npos) {
            statement->bind(2, static_cast<int64_t>(merged));
        }
        statement->run();
    };
    for (const char* table :
         {"customer_identities", "orders", "stage_history", "game_plays", "outbox", "inbox_events", "voucher_codes"}) {
        run(std::string("UPDATE ") + table + " SET customer_id = ?1 WHERE customer_id = ?2");
    }
    run("UPDATE voucher_codes SET redeemed_by = ?1 WHERE redeemed_by = ?2");
    run("UPDATE voucher_shared_uses SET owner_id = ?1 WHERE owner_id = ?2");
    run("UPDATE voucher_shared_uses SET redeemer_id = ?1 WHERE redeemer_id = ?2");
    // Survey answers given at the same moment by both (never in practice) keep the kept one's.
    run("UPDATE survey_answers SET customer_id = ?1 WHERE customer_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
        "survey_answers k WHERE k.customer_id = ?1 AND k.survey = survey_answers.survey AND k.answered_at = "
        "survey_answers.answered_at)");
    run("DELETE FROM survey_answers WHERE customer_id = ?2");
    // A journey both customers are on keeps the kept customer's progress.
    run("UPDATE journeys SET customer_id = ?1 WHERE customer_id = ?2 AND NOT EXISTS (SELECT 1 FROM journeys k "
        "WHERE k.customer_id = ?1 AND k.journey = journeys.journey)");
    run("DELETE FROM journeys WHERE customer_id = ?2");
    // Product views of both add up; the later view time is kept.
    run("INSERT INTO product_views (customer_id, sku, view_count, last_viewed_at) "
        "SELECT ?1, sku, view_count, last_viewed_at FROM product_views WHERE customer_id = ?2 "
        "ON CONFLICT (customer_id, sku) DO UPDATE SET view_count = product_views.view_count + excluded.view_count, "
        "last_viewed_at = max(product_views.last_viewed_at, excluded.last_viewed_at)");
    run("DELETE FROM product_views WHERE customer_id = ?2");
    run("INSERT INTO customer_tags (customer_id, tag, tagged_at) "
        "SELECT ?1, tag, tagged_at FROM customer_tags WHERE customer_id = ?2 ON CONFLICT DO NOTHING");
    run("DELETE FROM customer_tags WHERE customer_id = ?2");
    run("UPDATE customers AS kept SET "
        "first_seen_at = min(coalesce(kept.first_seen_at, other.first_seen_at), coalesce(other.first_seen_at, "
        "kept.first_seen_at)), "
        "first_source = CASE WHEN other.first_seen_at < kept.first_seen_at THEN other.first_source ELSE "
        "kept.first_source END, "
        "last_interaction_at = max(coalesce(kept.last_interaction_at, other.last_interaction_at), "
        "                          coalesce(other.last_interaction_at, kept.last_interaction_at)), "
        "interaction_count = kept.interaction_count + other.interaction_count, "
        "is_follower = max(kept.is_follower, other.is_follower), opted_out = max(kept.opted_out, other.opted_out), "
        "opted_out_at = coalesce(kept.opted_out_at, other.opted_out_at), "
        "silenced_until = max(coalesce(kept.silenced_until, 0), coalesce(other.silenced_until, 0)), "
        "name = coalesce(kept.name, other.name), "
        "name_folded = CASE WHEN kept.name IS NULL THEN other.name_folded ELSE kept.name_folded END, "
        "phone = coalesce(kept.phone, other.phone), "
        "birthday = coalesce(kept.birthday, other.birthday), gender = coalesce(kept.gender, other.gender), "
        "address = coalesce(kept.address, other.address), cart = coalesce(kept.cart, other.cart), "
        "city_key = CASE WHEN kept.address IS NULL THEN other.city_key ELSE kept.city_key END, "
        "birth_month = CASE WHEN kept.birthday IS NULL THEN other.birth_month ELSE kept.birth_month END, "
        "gender_key = CASE WHEN kept.gender IS NULL THEN other.gender_key ELSE kept.gender_key END, "
        // The conversation's memory (the menu shown, a size or measurements told): the latest.
        "menu_shown_at = max(coalesce(kept.menu_shown_at, other.menu_shown_at), "
        "                    coalesce(other.menu_shown_at, kept.menu_shown_at)), "
        "size_told_at = max(coalesce(kept.size_told_at, other.size_told_at), "
        "                   coalesce(other.size_told_at, kept.size_told_at)), "
        "measurements_told_at = max(coalesce(kept.measurements_told_at, other.measurements_told_at), "
        "                           coalesce(other.measurements_told_at, kept.measurements_told_at)) "
        "FROM customers AS other WHERE kept.id = ?1 AND other.id = ?2");
    run("UPDATE customers SET merged_into = ?1, next_stage_check_at = NULL WHERE id = ?2");
    auto record = m_statements("INSERT INTO customer_merges (kept_customer_id, merged_customer_id, merged_at, reason) "
                               "VALUES (?, ?, ?, ?)");
    record->bind(1, static_cast<int64_t>(kept));
    record->bind(2, static_cast<int64_t>(merged));
    record->bind(3, static_cast<int64_t>(now_ms));
    record->bind(4, reason);
    record->run();
}

} // namespace pheu::store
