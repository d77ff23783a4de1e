// Segment conditions the HTTP tests cannot reach cheaply (a city and a birthday from a
// profile, a Messenger window, merged customers, totals kept by the orders triggers), on a
// real migrated SQLite file.
#include "bot/customers/segment_filter.h"
#include "store/migrations.h"
#include "store/customer_store.h"
#include "store/database.h"
#include "store/personal_data.h"
#include "store/segment_store.h"
#include "tests/support/scratch_database.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace pheu;
using nlohmann::json;

namespace {

constexpr std::int64_t k_now = 1'800'000'000'000;
constexpr std::int64_t k_day = 24LL * 3600 * 1000;

// A customer whose profile (Zalo's shared info, a form) gave a city and a birthday, written as
// the worker writes it.
std::int64_t add_customer(store::sql::Connection& db, const std::string& city, const std::string& birthday) {
    const std::int64_t id = pheu::testing::query_int(db, "INSERT INTO customers (created_at) VALUES (0) RETURNING id");
    store::CustomerStore(db).update_profile(
        id, store::ProfileUpdate{.birthday = birthday, .address_json = json{{"city", city}, {"ward", ""}}.dump()});
    return id;
}

std::int64_t count(store::SegmentStore& segments, const json& filter) {
    return segments.count(bot::parse_segment_filter(filter), bot::segment_clock(k_now));
}

void add_order(store::sql::Connection& db, const std::string& id, std::int64_t customer, std::int64_t total,
               std::int64_t placed_at) {
    auto insert = db.prepare("INSERT INTO orders (order_id, customer_id, placed_at, total, recorded_at) "
                             "VALUES (?, ?, ?, ?, 0)");
    insert->bind(1, id);
    insert->bind(2, static_cast<int64_t>(customer));
    insert->bind(3, static_cast<int64_t>(placed_at));
    insert->bind(4, static_cast<int64_t>(total));
    insert->run();
}

} // namespace

TEST_CASE("a segment finds a city and a birthday month however the profile wrote them", "[store][segments]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    add_customer(*db, "Thành phố Hồ Chí Minh", "15/02/1995");
    const std::int64_t moved = add_customer(*db, "TP.HCM", "1990-02-01");
    add_customer(*db, "Hà Nội", "02/03/1988");
    add_customer(*db, "", "hôm qua");
    store::SegmentStore segments(*db);
    CHECK(count(segments, {{"city", "Sài Gòn"}}) == 2);
    CHECK(count(segments, {{"city", "ha noi"}}) == 1);
    CHECK(count(segments, {{"birthday_month", 2}}) == 2);
    CHECK(count(segments, {{"birthday_month", 3}, {"city", "HN"}}) == 1);
    CHECK(count(segments, {{"birthday_month", 12}}) == 0);

    // However the profile is rewritten later (a new address, an erasure), the keys follow it.
    store::CustomerStore(*db).update_profile(moved, store::ProfileUpdate{.address_json = R"({"city":"Hà Nội"})"});
    CHECK(count(segments, {{"city", "Sài Gòn"}}) == 1);
    CHECK(count(segments, {{"city", "ha noi"}}) == 2);
    store::erase_personal_data(*db, moved, k_now);
    CHECK(count(segments, {{"city", "ha noi"}}) == 1);
    CHECK(count(segments, {{"birthday_month", 2}}) == 1);
}

TEST_CASE("Messenger reach is a conversation inside its 24 hours, merged customers never count", "[store][segments]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    const std::int64_t recent = add_customer(*db, "", "");
    const std::int64_t stale = add_customer(*db, "", "");
    auto identity = db->prepare("INSERT INTO customer_identities (channel, external_id, customer_id, created_at, "
                                "last_interaction_at) VALUES ('messenger', ?, ?, 0, ?)");
    for (const auto& [psid, customer, at] : {std::tuple{"psid-1", recent, k_now - 23 * 3600 * 1000LL},
                                             std::tuple{"psid-2", stale, k_now - 25 * 3600 * 1000LL}}) {
        identity->bind(1, psid);
        identity->bind(2, static_cast<int64_t>(customer));
        identity->bind(3, static_cast<int64_t>(at));
        identity->run();
        identity->reset();
    }
    store::SegmentStore segments(*db);
    CHECK(segments.member_ids(bot::parse_segment_filter({{"reachable", "messenger"}}), bot::segment_clock(k_now), 0,
                              10) == std::vector<std::int64_t>{recent});
    CHECK(count(segments, {{"reachable", "any"}}) == 1);
    CHECK(count(segments, json::object()) == 2);
    db->execute("UPDATE customers SET merged_into = " + std::to_string(recent) +
                " WHERE id = " + std::to_string(stale));
    CHECK(count(segments, json::object()) == 1);
}

TEST_CASE("a customer's order totals follow orders written, moved, cancelled and erased", "[store][segments]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    const std::int64_t lan = add_customer(*db, "", "");
    const std::int64_t mai = add_customer(*db, "", "");
    add_order(*db, "o1", lan, 300000, k_now - 40 * k_day);
    add_order(*db, "o2", lan, 200000, k_now - 10 * k_day);
    auto totals = [&](std::int64_t customer) {
        auto query = db->prepare("SELECT orders_count, total_spent, coalesce(last_order_at, 0) FROM customers "
                                 "WHERE id = ?");
        query->bind(1, static_cast<int64_t>(customer));
        query->step();
        return std::tuple{query->int64(0), query->int64(1), query->int64(2)};
    };
    CHECK(totals(lan) == std::tuple{2LL, 500000LL, k_now - 10 * k_day});
    db->execute("UPDATE orders SET cancelled_at = 1 WHERE order_id = 'o2'");
    CHECK(totals(lan) == std::tuple{1LL, 300000LL, k_now - 40 * k_day});
    db->execute("UPDATE orders SET customer_id = " + std::to_string(mai) + " WHERE order_id = 'o1'");
    CHECK(totals(lan) == std::tuple{0LL, 0LL, 0LL});
    CHECK(totals(mai) == std::tuple{1LL, 300000LL, k_now - 40 * k_day});
    db->execute("UPDATE orders SET total = 350000 WHERE order_id = 'o1'");
    CHECK(totals(mai) == std::tuple{1LL, 350000LL, k_now - 40 * k_day});
    db->execute("DELETE FROM orders WHERE order_id = 'o1'");
    CHECK(totals(mai) == std::tuple{0LL, 0LL, 0LL});
}

TEST_CASE("a segment finds leads by temperature, customers by what they bought, viewed, hold, are and are tagged",
          "[store][segments]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    const std::int64_t hot = add_customer(*db, "", "");
    const std::int64_t warm = add_customer(*db, "", "");
    const std::int64_t cold = add_customer(*db, "", "");
    const std::int64_t buyer = add_customer(*db, "", "");
    const auto set = [&](std::int64_t id, const std::string& assignments) {
        db->execute("UPDATE customers SET " + assignments + " WHERE id = " + std::to_string(id));
    };
    // Hot: 3 interactions, the last 2 days ago; warm: 1 interaction 2 days ago (a hot lead's
    // recency, not its count); cold: 15 days ago.
    set(hot, "last_interaction_at = " + std::to_string(k_now - 2 * k_day) + ", interaction_count = 3");
    set(warm, "last_interaction_at = " + std::to_string(k_now - 2 * k_day) + ", interaction_count = 1");
    // As Zalo writes it ("2": female) and as a shop's form does.
    store::CustomerStore(*db).update_profile(hot, store::ProfileUpdate{.gender = "2"});
    store::CustomerStore(*db).update_profile(warm, store::ProfileUpdate{.gender = "nam"});
    set(cold, "last_interaction_at = " + std::to_string(k_now - 15 * k_day) +
                  ", interaction_count = 9, "
                  "phone_consent_at = 1");
    set(buyer, "stage = 'new_customer', last_interaction_at = " + std::to_string(k_now) + ", interaction_count = 9");
    store::SegmentStore segments(*db);
    CHECK(count(segments, {{"temperature", "hot"}}) == 1);
    CHECK(count(segments, {{"temperature", "warm"}}) == 1);
    CHECK(count(segments, {{"temperature", {"cold", "hot"}}}) == 2);
    CHECK(count(segments, {{"temperature", {"hot", "warm", "cold"}}}) == 3); // never the customer
    CHECK(count(segments, {{"gender", "nữ"}}) == 1);
    CHECK(count(segments, {{"gender", "male"}}) == 1);
    CHECK(count(segments, {{"opted_in", true}}) == 1);

    add_order(*db, "o-1", buyer, 300000, k_now - k_day);
    db->execute("INSERT INTO order_items (order_id, sku, category) VALUES ('o-1', 'AO-1', 'ao')");
    db->execute("INSERT INTO products (sku, name, category, updated_at) VALUES ('DAM-2', 'Đầm hoa', 'dam', 0)");
    db->execute("INSERT INTO product_views (customer_id, sku, view_count, last_viewed_at) VALUES (" +
                std::to_string(hot) + ", 'DAM-2', 1, 0)");
    CHECK(count(segments, {{"bought_sku", "AO-1"}}) == 1);
    CHECK(count(segments, {{"bought_sku", "DAM-2"}}) == 0);
    CHECK(count(segments, {{"viewed_category", "dam"}}) == 1);
    CHECK(count(segments, {{"viewed_sku", {"X", "DAM-2"}}}) == 1);

    db->execute(
        "INSERT INTO voucher_campaigns (id, description, validity_days, updated_at) VALUES ('tet', 'Tết', 7, 0)");
    db->execute("INSERT INTO voucher_codes (code, campaign_id, customer_id, expires_at) VALUES ('TET-1', 'tet', " +
                std::to_string(hot) + ", " + std::to_string(k_now + k_day) + "), ('TET-2', 'tet', " +
                std::to_string(warm) + ", " + std::to_string(k_now - k_day) + "), ('TET-3', 'tet', " +
                std::to_string(buyer) + ", NULL)");
    db->execute("UPDATE voucher_codes SET redeemed_at = 1, redeemed_by = customer_id WHERE code = 'TET-3'");
    CHECK(count(segments, {{"voucher_held", "tet"}}) == 1); // not the expired one, not the used one
    CHECK(count(segments, {{"voucher_redeemed", "tet"}}) == 1);

    store::CustomerStore customers(*db);
    customers.set_zalo_tag(hot, "Khách sỉ", true, k_now);
    customers.set_zalo_tag(cold, "Khách sỉ", true, k_now);
    customers.set_zalo_tag(cold, "Khách sỉ", false, k_now);
    customers.set_zalo_tag(buyer, "VIP", true, k_now);
    CHECK(count(segments, {{"zalo_tag", "Khách sỉ"}}) == 1);
    CHECK(count(segments, {{"zalo_tag", {"Khách sỉ", "VIP"}}}) == 2);
    customers.merge(warm, hot, k_now, "test"); // the tag follows the customer kept
    CHECK(count(segments, {{"zalo_tag", "Khách sỉ"}}) == 1);
    CHECK(pheu::testing::query_int(*db, "SELECT customer_id FROM customer_tags WHERE tag = 'Khách sỉ'") == warm);
    customers.drop_zalo_tag("VIP");
    CHECK(count(segments, {{"zalo_tag", "VIP"}}) == 0);
}
