#include "store/migrations.h"
#include "store/database.h"
#include "store/voucher_store.h"
#include "tests/support/scratch_database.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace pheu;

namespace {

constexpr std::int64_t k_now = 1'800'000'000'000;
constexpr std::int64_t k_day = 24LL * 3600 * 1000;

std::int64_t add_customer(store::sql::Connection& db) {
    return pheu::testing::query_int(db, "INSERT INTO customers (created_at) VALUES (0) RETURNING id");
}

store::VoucherCampaign campaign(const std::string& id, const std::string& pattern) {
    store::VoucherCampaign result;
    result.id = id;
    result.description = "Giảm 10%";
    result.code_pattern = pattern;
    result.validity_days = 14;
    result.eligible_stages = {"new_lead"};
    return result;
}

std::string counter_codes(const std::string& pattern) {
    static std::atomic<int> next{100000};
    return pattern.substr(0, pattern.find('*')) + "A" + std::to_string(next++);
}

} // namespace

TEST_CASE("asking twice gives the same code, limits, stages and expiry are honoured", "[store][vouchers]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    store::VoucherStore vouchers(*db, counter_codes);
    vouchers.seed_campaign(campaign("first", "CHAO-****"), k_now);
    const std::int64_t lan = add_customer(*db);

    const auto first = vouchers.issue("first", lan, "new_lead", k_now);
    REQUIRE(first.outcome == store::IssueOutcome::issued);
    CHECK(first.voucher->expires_at == k_now + 14 * k_day);
    const auto again = vouchers.issue("first", lan, "new_lead", k_now + k_day);
    CHECK(again.outcome == store::IssueOutcome::already_held);
    CHECK(again.voucher->code == first.voucher->code);

    CHECK(vouchers.issue("first", add_customer(*db), "new_customer", k_now).outcome ==
          store::IssueOutcome::not_eligible);
    CHECK(vouchers.issue("nope", lan, "new_lead", k_now).outcome == store::IssueOutcome::unknown_campaign);

    // Redeemed (or expired), the code is not offered again, and the limit of one is reached.
    CHECK(vouchers.redeem(first.voucher->code, "order-1", lan, k_now + 2 * k_day) == store::RedeemOutcome::redeemed);
    CHECK(vouchers.redeem(first.voucher->code, "order-2", lan, k_now + 3 * k_day) ==
          store::RedeemOutcome::already_redeemed);
    CHECK(vouchers.issue("first", lan, "new_lead", k_now + 3 * k_day).outcome == store::IssueOutcome::limit_reached);
}

TEST_CASE("an expired code no longer counts toward the limit, and expiry ends with the shop's day",
          "[store][vouchers]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    store::VoucherStore vouchers(*db, counter_codes);
    vouchers.seed_campaign(campaign("first", "CHAO-****"), k_now);
    const std::int64_t lan = add_customer(*db);
    const auto end_of_day = [](std::int64_t at) { return (at / k_day + 1) * k_day; };

    const auto welcome = vouchers.issue("first", lan, "new_lead", k_now, end_of_day);
    REQUIRE(welcome.outcome == store::IssueOutcome::issued);
    CHECK(welcome.voucher->expires_at == end_of_day(k_now + 14 * k_day));
    // The 14-day welcome code lapsed unused: the day-30 step can offer a new one.
    const auto later = vouchers.issue("first", lan, "new_lead", k_now + 30 * k_day, end_of_day);
    REQUIRE(later.outcome == store::IssueOutcome::issued);
    CHECK(later.voucher->code != welcome.voucher->code);
    // Held valid, it counts: no third code.
    CHECK(vouchers.issue("first", lan, "new_lead", k_now + 31 * k_day).outcome == store::IssueOutcome::already_held);
}

TEST_CASE("a code used by another customer is recorded, and counts as redeemed only if honoured", "[store][vouchers]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    store::VoucherStore vouchers(*db, counter_codes);
    vouchers.seed_campaign(campaign("first", "CHAO-****"), k_now);
    auto shared = campaign("friends", "BAN-****");
    shared.honour_shared = true;
    vouchers.seed_campaign(shared, k_now);
    const std::int64_t lan = add_customer(*db);
    const std::int64_t minh = add_customer(*db);

    const auto personal = vouchers.issue("first", lan, "new_lead", k_now).voucher;
    REQUIRE(personal);
    auto status = vouchers.code_status(personal->code);
    REQUIRE(status);
    CHECK(store::may_use_code(*status, lan, k_now).may_use);
    CHECK(store::may_use_code(*status, minh, k_now).reason == "belongs_to_another_customer");
    CHECK(store::may_use_code(*status, lan, k_now + 15 * k_day).reason == "expired");
    // Minh uses Lan's personal code: recorded, refused, and still Lan's to use.
    CHECK(vouchers.redeem(personal->code, "o-minh", minh, k_now + k_day) == store::RedeemOutcome::shared_refused);
    CHECK(pheu::testing::query_int(*db,
                                   "SELECT count(*) FROM voucher_shared_uses WHERE owner_id = " + std::to_string(lan) +
                                       " AND redeemer_id = " + std::to_string(minh) + " AND honoured = 0") == 1);
    CHECK(vouchers.redeem(personal->code, "o-lan", lan, k_now + k_day) == store::RedeemOutcome::redeemed);

    // A campaign that honours shared codes: redeemed by the friend, who is recorded.
    const auto gift = vouchers.issue("friends", lan, "new_lead", k_now).voucher;
    REQUIRE(gift);
    CHECK(store::may_use_code(*vouchers.code_status(gift->code), minh, k_now).may_use);
    CHECK(vouchers.redeem(gift->code, "o-2", minh, k_now + k_day) == store::RedeemOutcome::shared_honoured);
    status = vouchers.code_status(gift->code);
    CHECK(status->redeemed_by == minh);
    CHECK(store::may_use_code(*status, lan, k_now + k_day).reason == "redeemed");
    CHECK(vouchers.redeem("NOPE-1234", "o-3", minh, k_now) == store::RedeemOutcome::unknown_code);
}

TEST_CASE("imported codes are handed out once each and never after they expire", "[store][vouchers]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    auto db = store::open_and_migrate(scratch.target().location);
    store::VoucherStore vouchers(*db, nullptr);
    vouchers.seed_campaign(campaign("pool", ""), k_now);
    CHECK(vouchers.import_codes("pool", {"TET-0001", "TET-0002"}, k_now + 3 * k_day) == 2);
    CHECK(vouchers.import_codes("pool", {"TET-0002"}, std::nullopt) == 0);

    const auto a = vouchers.issue("pool", add_customer(*db), "new_lead", k_now);
    const auto b = vouchers.issue("pool", add_customer(*db), "new_lead", k_now);
    REQUIRE(a.voucher);
    REQUIRE(b.voucher);
    CHECK(a.voucher->code != b.voucher->code);
    CHECK(a.voucher->expires_at == k_now + 3 * k_day); // the code's own end comes first
    CHECK(vouchers.issue("pool", add_customer(*db), "new_lead", k_now).outcome == store::IssueOutcome::pool_empty);

    CHECK(vouchers.import_codes("pool", {"TET-0003"}, k_now + k_day) == 1);
    CHECK(vouchers.issue("pool", add_customer(*db), "new_lead", k_now + 2 * k_day).outcome ==
          store::IssueOutcome::pool_empty);
}

TEST_CASE("customers asking at the same moment on separate connections never share a code", "[store][vouchers]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const std::string path = scratch.target().location;
    constexpr int k_codes = 40;
    constexpr int k_threads = 4;
    constexpr int k_customers_per_thread = 20; // 80 customers ask for 40 codes
    {
        auto db = store::open_and_migrate(path);
        store::VoucherStore vouchers(*db, nullptr);
        vouchers.seed_campaign(campaign("pool", ""), k_now);
        std::vector<std::string> codes;
        for (int i = 0; i < k_codes; ++i) {
            codes.push_back("POOL-" + std::to_string(1000 + i));
        }
        vouchers.import_codes("pool", codes, std::nullopt);
        for (int i = 0; i < k_threads * k_customers_per_thread; ++i) {
            add_customer(*db);
        }
    }
    std::mutex mutex;
    std::vector<std::string> handed_out;
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&, t] {
            // No write gate: SQLite's own locking is what keeps two writers apart here.
            auto db = store::sql::open_connection(path);
            store::VoucherStore vouchers(*db, nullptr);
            for (int i = 0; i < k_customers_per_thread; ++i) {
                const std::int64_t customer = 1 + t * k_customers_per_thread + i;
                store::sql::Transaction transaction(*db);
                const auto result = vouchers.issue("pool", customer, "new_lead", k_now);
                transaction.commit();
                if (result.voucher) {
                    std::lock_guard lock(mutex);
                    handed_out.push_back(result.voucher->code);
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(handed_out.size() == k_codes);
    CHECK(std::set<std::string>(handed_out.begin(), handed_out.end()).size() == k_codes);
    CHECK(pheu::testing::query_int(path, "SELECT count(DISTINCT customer_id) FROM voucher_codes") == k_codes);
}
