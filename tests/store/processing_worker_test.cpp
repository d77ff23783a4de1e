#include "bot/customers/person_lane.h"
#include "bot/inbound_event.h"
#include "bot/metrics.h"
#include "bot/worker/processing_worker.h"
#include "store/migrations.h"
#include "store/database.h"
#include "store/inbox_store.h"
#include "store/inbox_writer.h"
#include "store/unsettled_keys.h"
#include "templates/template_cache.h"
#include "tests/support/scratch_database.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <tuple>
#include <vector>

using namespace pheu;
using pheu::testing::query_int;

namespace {

store::InboxRecord record_of(const bot::InboundEvent& event) {
    return bot::inbox_record_of(event, event.occurred_at_ms, "{}");
}

bot::InboundEvent zalo_message(const std::string& user, std::int64_t at, const std::string& key) {
    bot::InboundEvent event;
    event.source = bot::EventSource::zalo;
    event.kind = bot::kind::message;
    event.name = "user_send_text";
    event.interaction = true;
    event.customer.zalo_user_id = user;
    event.occurred_at_ms = at;
    event.dedupe_key = key;
    return event;
}

// A worker on a migrated database, with the write gate and unsettled keys that an inbox
// writer on the same database shares with it.
class Harness {
public:
    explicit Harness(
        const std::string& path, bot::ProcessingWorker::Clock clock = [] { return std::int64_t{5000}; })
        : m_worker(path, m_gate, m_unsettled, m_metrics, std::move(clock), bot::PipelineOptions{&m_cache, {}, {}}) {}

    std::tuple<store::WriteGate&, store::UnsettledKeys&, bot::ProcessingWorker&> parts() {
        return {m_gate, m_unsettled, m_worker};
    }

private:
    bot::Metrics m_metrics;
    store::WriteGate m_gate;
    templates::TemplateCache m_cache;
    store::UnsettledKeys m_unsettled;
    bot::ProcessingWorker m_worker;
};

} // namespace

TEST_CASE("the worker attaches events to customers and keeps the latest interaction", "[store][worker]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const std::string path = scratch.target().location;
    store::open_and_migrate(path);
    Harness harness(path);
    auto [gate, unsettled, worker] = harness.parts();
    {
        store::InboxWriter writer(path, gate, unsettled, {});
        bot::InboundEvent with_app_id = zalo_message("u1", 3000, "k1");
        with_app_id.customer.zalo_app_user_id = "app-u1";
        bot::InboundEvent receipt = zalo_message("u1", 4000, "k3");
        receipt.kind = bot::kind::delivered;
        receipt.interaction = false;
        writer.write({record_of(with_app_id), record_of(zalo_message("u1", 1000, "k2")), record_of(receipt),
                      record_of(zalo_message("u2", 2000, "k4"))});
        // A row the worker cannot read: marked failed, the others still processed.
        store::InboxRecord broken = record_of(zalo_message("u3", 1, "k5"));
        broken.event = "{\"not\":\"an event\"}";
        writer.write({broken});
    }
    CHECK(worker.process_batch() == 5);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE state = 'processed'") == 4);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE state = 'failed'") == 1);
    CHECK(query_int(path, "SELECT count(*) FROM customers") == 2);
    const auto u1 =
        query_int(path, "SELECT customer_id FROM customer_identities WHERE channel='zalo' AND external_id='u1'");
    CHECK(query_int(path,
                    "SELECT customer_id FROM customer_identities WHERE channel='zalo_app' AND external_id='app-u1'") ==
          u1);
    // The late, older message and the receipt do not move the interaction time back or forward.
    CHECK(query_int(path, "SELECT last_interaction_at FROM customers WHERE id = " + std::to_string(u1)) == 3000);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE customer_id = " + std::to_string(u1)) == 3);
    CHECK(worker.process_batch() == 0);
    // Every key settled, the failed one too, and none left for the writer to hold (SQLite's
    // settled keys; PostgreSQL's unique key needs none).
    if (scratch.target().backend == store::sql::Backend::sqlite) {
        CHECK(query_int(path, "SELECT count(*) FROM inbox_settled_keys") == 5);
    }
    CHECK(unsettled.size() == 0);
}

TEST_CASE("a copy that got past the writer is marked duplicate and applied once", "[store][worker]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const std::string path = scratch.target().location;
    const bool sqlite = scratch.target().backend == store::sql::Backend::sqlite;
    {
        // Two rows under one key, as a second process writing the same SQLite file could
        // leave. PostgreSQL's unique key refuses the copy, whichever instance sends it.
        const auto db = store::open_and_migrate(path);
        store::InboxStore inbox(*db);
        if (sqlite) {
            inbox.append(record_of(zalo_message("u1", 1000, "k1")));
            inbox.append(record_of(zalo_message("u1", 2000, "k1")));
            inbox.append(record_of(zalo_message("u2", 3000, "k2")));
        } else {
            // A copy in the same batch, and one in a later batch.
            const auto first = record_of(zalo_message("u1", 1000, "k1"));
            const auto copy = record_of(zalo_message("u1", 2000, "k1"));
            const auto other = record_of(zalo_message("u2", 3000, "k2"));
            CHECK(inbox.append_new({&first, &copy}) == std::vector<bool>{true, false});
            CHECK(inbox.append_new({&copy, &other}) == std::vector<bool>{false, true});
        }
    }
    Harness harness(path);
    auto [gate, unsettled, worker] = harness.parts();
    CHECK(worker.process_batch() == (sqlite ? 3 : 2));
    if (sqlite) {
        CHECK(query_int(path, "SELECT state = 'duplicate' FROM inbox_events WHERE seq = 2") == 1);
    }
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE state = 'processed'") == 2);
    // The copy's later time was never applied.
    CHECK(query_int(path,
                    "SELECT customer.last_interaction_at FROM customers AS customer JOIN customer_identities "
                    "AS identity ON identity.customer_id = customer.id WHERE identity.external_id = 'u1'") == 1000);
}

TEST_CASE("copies racing the worker are stored once and applied once", "[store][worker]") {
    const pheu::testing::ScratchDatabase scratch(
        GENERATE(Catch::Generators::from_range(pheu::testing::conformance_backends())));
    INFO(pheu::testing::backend_name(scratch.target().backend));
    const std::string path = scratch.target().location;
    store::open_and_migrate(path);
    Harness harness(path);
    auto [gate, unsettled, worker] = harness.parts();
    worker.start();
    constexpr int k_threads = 8;
    constexpr int k_keys_per_pair = 150;
    std::atomic<int> stored{0};
    {
        store::InboxWriter writer(path, gate, unsettled, [&] { worker.notify(); });
        std::vector<std::thread> threads;
        for (int t = 0; t < k_threads; ++t) {
            threads.emplace_back([&, t] {
                // Two threads share each key, one in ascending and one in descending order,
                // so copies meet a pending row, a row being settled and a settled one.
                for (int i = 0; i < k_keys_per_pair; ++i) {
                    const int n = t % 2 == 0 ? i : k_keys_per_pair - 1 - i;
                    const std::string key = "p" + std::to_string(t / 2) + "-" + std::to_string(n);
                    for (auto outcome :
                         writer.write({record_of(zalo_message("u" + std::to_string(n), 1000 + n, key))})) {
                        stored += outcome == store::InsertOutcome::stored ? 1 : 0;
                    }
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
    }
    worker.stop();
    while (worker.process_batch() > 0) {
    }
    constexpr int k_keys = k_threads / 2 * k_keys_per_pair;
    CHECK(stored == k_keys);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == k_keys);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE state = 'processed'") == k_keys);
    if (scratch.target().backend == store::sql::Backend::sqlite) {
        CHECK(query_int(path, "SELECT count(*) FROM inbox_settled_keys") == k_keys);
    }
    CHECK(unsettled.size() == 0);
}

TEST_CASE("two pheu instances' writers on one PostgreSQL store each redelivered event once",
          "[store][worker][conformance]") {
    if (!pheu::testing::postgres_available()) {
        return;
    }
    const pheu::testing::ScratchDatabase scratch(store::sql::Backend::postgresql);
    const std::string path = scratch.target().location;
    store::open_and_migrate(path);
    // Each instance has its gate and its in-memory keys; only the database is shared.
    store::WriteGate gate_a;
    store::WriteGate gate_b;
    store::UnsettledKeys unsettled_a;
    store::UnsettledKeys unsettled_b;
    constexpr int k_keys = 400;
    std::atomic<int> stored{0};
    {
        store::InboxWriter instance_a(path, gate_a, unsettled_a, [] {});
        store::InboxWriter instance_b(path, gate_b, unsettled_b, [] {});
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                // The platform delivers each event to both instances, in opposite orders.
                store::InboxWriter& writer = t % 2 == 0 ? instance_a : instance_b;
                for (int i = 0; i < k_keys; ++i) {
                    const int n = t < 2 ? i : k_keys - 1 - i;
                    for (auto outcome : writer.write(
                             {record_of(zalo_message("u" + std::to_string(n), 1000 + n, "k" + std::to_string(n)))})) {
                        stored += outcome == store::InsertOutcome::stored ? 1 : 0;
                    }
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
    }
    CHECK(stored == k_keys);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events") == k_keys);
    CHECK(query_int(path, "SELECT count(DISTINCT dedupe_key) FROM inbox_events") == k_keys);
}

TEST_CASE("four pheu instances' workers on one PostgreSQL decide each event once, each person's in order",
          "[store][worker][conformance]") {
    if (!pheu::testing::postgres_available()) {
        return;
    }
    const pheu::testing::ScratchDatabase scratch(store::sql::Backend::postgresql);
    const std::string path = scratch.target().location;
    store::open_and_migrate(path);
    constexpr int k_people = 80;
    constexpr int k_messages = 40;
    {
        store::WriteGate gate;
        store::UnsettledKeys unsettled;
        store::InboxWriter writer(path, gate, unsettled, {});
        std::vector<store::InboxRecord> records;
        for (int m = 0; m < k_messages; ++m) {
            for (int p = 0; p < k_people; ++p) {
                const std::string key = "k" + std::to_string(p) + "-" + std::to_string(m);
                records.push_back(record_of(zalo_message("u" + std::to_string(p), 1000 + m, key)));
            }
        }
        writer.write(records);
    }
    // Each batch is stamped with a later time than any before it, by either instance: a
    // person's events decided out of order would carry a later event's time on an earlier one.
    std::atomic<std::int64_t> ticks{10000};
    auto tick = [&ticks] { return ++ticks; };
    constexpr std::size_t k_instances = 4;
    std::vector<std::unique_ptr<Harness>> instances;
    for (std::size_t i = 0; i < k_instances; ++i) {
        instances.push_back(std::make_unique<Harness>(path, tick));
    }
    std::vector<std::size_t> decided_by(k_instances, 0);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < k_instances; ++i) {
        threads.emplace_back([&, i] {
            bot::ProcessingWorker& worker = std::get<2>(instances[i]->parts());
            // Nothing for this instance while the others hold every lane with work is no
            // reason to stop: only an empty inbox is.
            while (true) {
                const std::size_t decided = worker.process_batch();
                decided_by[i] += decided;
                if (decided == 0 && query_int(path, "SELECT count(*) FROM inbox_events WHERE state = 'pending'") == 0) {
                    break;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::size_t decided = 0;
    std::size_t deciding = 0;
    for (std::size_t i = 0; i < k_instances; ++i) {
        UNSCOPED_INFO("instance " << i << " decided " << decided_by[i]);
        decided += decided_by[i];
        deciding += decided_by[i] > 0 ? 1U : 0U;
    }
    CHECK(decided == k_people * k_messages);
    CHECK(deciding > 1); // side by side, not one after another
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE state = 'processed'") == k_people * k_messages);
    CHECK(query_int(path, "SELECT count(*) FROM customers") == k_people);
    // Decided once: each message counted once in its customer's interactions.
    CHECK(query_int(path, "SELECT count(*) FROM customers WHERE interaction_count <> " + std::to_string(k_messages)) ==
          0);
    // In order: no event of a person decided after a later one of the same person.
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events a JOIN inbox_events b ON b.customer_id = a.customer_id "
                          "AND b.seq > a.seq AND b.processed_at < a.processed_at") == 0);
}
