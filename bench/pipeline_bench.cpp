// Benchmarks of the processing side, on a temporary SQLite file:
//   1. worker: events per second from the inbox through the whole worker (identity,
//      facts, stage) for a realistic mix of chats, follows and purchases. With
//      PHEU_BENCH_DATABASE set to a PostgreSQL URL it decides there instead (in a schema of
//      its own), by PHEU_BENCH_WORKERS workers side by side (default 1), each as a pheu
//      instance would: its own connection, write gate and lanes;
//   2. scheduler: among one million customers, the time and memory to find the due ones
//      through the index and recompute their stage.
// Usage: pheu_pipeline_bench [events=200000] [customers=1000000] [due=20000]
#include "app/allocator_tuning.h"
#include "bot/background_loop.h"
#include "bot/playbook/builtin_seed.h"
#include "bot/customers/person_lane.h"
#include "bot/inbound_event.h"
#include "bot/metrics.h"
#include "bot/worker/processing_worker.h"
#include "bot/customers/stage_engine.h"
#include "bot/worker/stage_scheduler.h"
#include "store/migrations.h"
#include "store/database.h"
#include "store/inbox_writer.h"
#include "store/sql/connection.h"
#include "store/unsettled_keys.h"
#include "store/wal_checkpointer.h"
#include "store/write_gate.h"
#include "templates/template_cache.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace pheu;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::int64_t k_now = 1795428900000;

long rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string key;
    long value = 0;
    while (status >> key) {
        if (key == "VmRSS:") {
            status >> value;
            return value;
        }
        status.ignore(1 << 12, '\n');
    }
    return 0;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

store::InboxRecord record_of(const bot::InboundEvent& event) {
    return bot::inbox_record_of(event, event.occurred_at_ms, "{}");
}

// One instance's worker: its own connection, write gate and unsettled keys.
struct WorkerInstance {
    WorkerInstance(const std::string& path, templates::TemplateCache& cache)
        : worker(
              path, gate, unsettled, metrics, [] { return k_now; }, bot::PipelineOptions{&cache, {}, {}}) {}
    bot::Metrics metrics;
    store::WriteGate gate;
    store::UnsettledKeys unsettled;
    bot::ProcessingWorker worker;
};

// The worker's database: the SQLite file, or a new schema of PHEU_BENCH_DATABASE's server.
std::string worker_database(const std::filesystem::path& dir) {
    const char* server = std::getenv("PHEU_BENCH_DATABASE");
    if (server == nullptr || *server == '\0') {
        return (dir / "worker.db").string();
    }
    const std::string url = server;
    const std::string schema = "bench_" + std::to_string(::getpid());
    store::sql::open_connection(url)->execute("CREATE SCHEMA " + schema);
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

bot::InboundEvent make_event(int i) {
    bot::InboundEvent event;
    event.occurred_at_ms = k_now - (i % 1000) * 60000;
    event.dedupe_key = "bench:" + std::to_string(i);
    const int user = i % 50000;
    if (i % 10 == 0) { // one in ten: a purchase from the POS, by phone
        event.source = bot::EventSource::events_api;
        event.kind = event.name = "purchase";
        event.interaction = true;
        event.customer.phone = "8491" + std::to_string(1000000 + user);
        event.content = {{"order_id", "o" + std::to_string(i)},
                         {"total", 350000},
                         {"items", {{{"sku", "AO-1"}, {"category", "ao"}, {"price", 350000}, {"quantity", 1}}}}};
    } else {
        event.source = bot::EventSource::zalo;
        event.account_id = "oa-1";
        event.kind = i % 7 == 0 ? bot::kind::follow : bot::kind::message;
        event.name = i % 7 == 0 ? "follow" : "user_send_text";
        event.interaction = true;
        event.customer.zalo_user_id = "z" + std::to_string(user);
        // One in three asks for a discount (a voucher issued or found, a reply rendered).
        event.content = {{"text", i % 3 == 0 ? "Shop có khuyến mãi không?" : "Shop ơi còn size M không ạ?"},
                         {"msg_id", "m" + std::to_string(i)}};
    }
    return event;
}

void bench_worker(const std::string& path, int events) {
    // The built-in pack, so every message the playbook decides is rendered for real.
    bot::seed_builtin_pack(*store::open_and_migrate(path), k_now);
    store::WriteGate gate;
    store::UnsettledKeys unsettled;
    {
        store::InboxWriter writer(path, gate, unsettled, {});
        std::vector<store::InboxRecord> batch;
        for (int i = 0; i < events; ++i) {
            batch.push_back(record_of(make_event(i)));
            if (batch.size() == 1000) {
                writer.write(batch);
                batch.clear();
            }
        }
        writer.write(batch);
    }
    templates::TemplateCache cache;
    const bool profile = std::getenv("PHEU_STATEMENT_PROFILE") != nullptr;
    store::count_statements_from_now(profile); // the worker's connections, opened below (SQLite's)
    const char* workers_set = std::getenv("PHEU_BENCH_WORKERS");
    const int workers = std::max(1, workers_set != nullptr ? std::atoi(workers_set) : 1);
    std::vector<std::unique_ptr<WorkerInstance>> instances;
    for (int i = 0; i < workers; ++i) {
        instances.push_back(std::make_unique<WorkerInstance>(path, cache));
    }
    // As the server does (app/application.cpp): the log is copied back into the database file
    // on a thread of its own, not inside the worker's commits (store/wal_checkpointer.h).
    std::unique_ptr<store::WalCheckpointer> checkpointer;
    std::unique_ptr<bot::BackgroundLoop> checkpoint_loop;
    if (store::sql::database_target(path).backend == store::sql::Backend::sqlite) {
        checkpointer = std::make_unique<store::WalCheckpointer>(path, instances.front()->gate);
        checkpoint_loop =
            std::make_unique<bot::BackgroundLoop>("wal-checkpoint", std::chrono::milliseconds(100), [&checkpointer] {
                checkpointer->checkpoint_once();
                return false;
            });
        checkpoint_loop->start();
    }
    const std::uint64_t statements_before = store::statements_counted();
    const std::uint64_t triggers_before = store::trigger_programs_counted();
    const auto start = Clock::now();
    std::atomic<std::size_t> processed{0};
    std::vector<std::thread> threads;
    for (auto& instance : instances) {
        threads.emplace_back([&processed, &instance, &path, workers] {
            // Alone, a worker is done when it finds nothing; beside others it may find
            // nothing because they hold every lane with work, so it looks again.
            const auto db = store::sql::open_connection(path);
            auto pending = db->prepare("SELECT count(*) FROM inbox_events WHERE state = 'pending'");
            for (;;) {
                const std::size_t n = instance->worker.process_batch();
                processed += n;
                if (n > 0) {
                    continue;
                }
                if (workers == 1) {
                    return;
                }
                pending->reset();
                pending->step();
                if (pending->int64(0) == 0) {
                    return;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    const double elapsed = seconds_since(start);
    if (checkpoint_loop) {
        checkpoint_loop->stop();
    }
    const std::uint64_t statements = store::statements_counted() - statements_before;
    const std::uint64_t trigger_programs = store::trigger_programs_counted() - triggers_before;
    std::printf("worker: %zu events in %.2f s = %.0f events/s (50,000 distinct Zalo users, 1 in 10 a purchase; "
                "%s, %d worker%s)\n",
                processed.load(), elapsed, static_cast<double>(processed.load()) / elapsed,
                store::sql::database_target(path).backend == store::sql::Backend::postgresql ? "PostgreSQL" : "SQLite",
                workers, workers == 1 ? "" : "s side by side");
    std::printf("worker: %llu SQL statements run = %.1f per event (each started statement, BEGIN and COMMIT "
                "included)\n",
                static_cast<unsigned long long>(statements),
                static_cast<double>(statements) / static_cast<double>(std::max<std::size_t>(processed.load(), 1)));
    std::printf("worker: %llu trigger programs run inside those statements = %.1f per event (the funnel ledger, "
                "the configuration version)\n",
                static_cast<unsigned long long>(trigger_programs),
                static_cast<double>(trigger_programs) /
                    static_cast<double>(std::max<std::size_t>(processed.load(), 1)));
    if (profile) {
        const double events_run = static_cast<double>(std::max<std::size_t>(processed.load(), 1));
        std::printf("  runs/event  µs/event  statement (the most time first)\n");
        for (const auto& [sql, timing] : store::statements_by_text()) {
            std::printf("  %10.2f  %8.2f  %.140s\n", static_cast<double>(timing.runs) / events_run,
                        static_cast<double>(timing.nanoseconds) / 1000.0 / events_run, sql.c_str());
        }
    }
    auto db = store::sql::open_connection(path);
    auto decided = db->prepare("SELECT status, count(*) FROM outbox WHERE kind = 'message' GROUP BY status");
    std::printf("worker: messages decided:");
    while (decided->step()) {
        std::printf(" %s %lld", decided->text(0).c_str(), static_cast<long long>(decided->int64(1)));
    }
    std::printf(" (rendered and recorded, sandbox transport)\n");
}

void bench_scheduler(const std::string& path, int customers, int due) {
    auto db = store::open_and_migrate(path);
    bot::seed_builtin_pack(*db, k_now);
    const auto fill_start = Clock::now();
    {
        store::sql::Transaction transaction(*db);
        // A profile as Zalo shares it for the segment counts (bench/scale.sh): a city, a
        // birthday, a follow for half of them, a phone for a third, a gender for two thirds,
        // a tag staff gave in the OA for a tenth. The gender's segment key is the
        // repository's to write (migration 32), so it is written here too.
        auto customer = db->prepare("INSERT INTO customers (created_at, first_seen_at, first_source, stage, "
                                    "stage_changed_at, last_interaction_at, next_stage_check_at, address, "
                                    "birthday, is_follower, phone, gender, gender_key) "
                                    "VALUES (?1, ?1, 'events_api', 'new_customer', ?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                    "?8, pheu_gender(?8)) RETURNING id");
        auto tag = db->prepare("INSERT INTO customer_tags (customer_id, tag, tagged_at) VALUES (?, 'VIP', 0)");
        static const char* const k_cities[] = {
            "Thành phố Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Cần Thơ", "Hải Phòng", "Bình Dương"};
        auto order = db->prepare("INSERT INTO orders (order_id, customer_id, placed_at, total, recorded_at) "
                                 "VALUES (?, ?, ?, 350000, ?)");
        auto item = db->prepare("INSERT INTO order_items (order_id, sku, category, quantity) VALUES (?, ?, ?, 1)");
        static const char* const k_categories[] = {"ao", "quan", "vay", "giay", "tui"};
        // A realistic history for the funnel report: each became a lead some days before buying.
        auto history = db->prepare("INSERT INTO stage_history (customer_id, from_stage, to_stage, changed_at, "
                                   "reason) VALUES (?1, NULL, 'new_lead', ?2, 'first_contact'), "
                                   "(?1, 'new_lead', 'new_customer', ?3, 'first_order')");
        for (int i = 0; i < customers; ++i) {
            // `due` customers bought 95 days ago (due now); the rest recently (due later).
            const bool is_due = due > 0 && i % std::max(1, customers / due) == 0;
            const std::int64_t placed = k_now - (is_due ? 95 : 10) * bot::k_day_ms;
            customer->reset();
            customer->bind(1, static_cast<int64_t>(placed));
            customer->bind(2, static_cast<int64_t>(placed));
            customer->bind(3, static_cast<int64_t>(placed + 90 * bot::k_day_ms + 1));
            customer->bind(4, std::string(R"({"city":")") + k_cities[i % 6] + R"(","district":"","ward":""})");
            customer->bind(5, std::to_string(1 + i % 28) + "/" + std::to_string(1 + i % 12) + "/19" +
                                  std::to_string(70 + i % 30));
            customer->bind(6, i % 2);
            if (i % 3 == 0) {
                customer->bind(7, "849" + std::to_string(10000000 + i));
            } else {
                customer->bind_null(7);
            }
            if (i % 3 == 2) {
                customer->bind_null(8);
            } else {
                customer->bind(8, i % 3 == 0 ? "2" : "1");
            }
            customer->step();
            const std::int64_t id = customer->int64(0);
            if (i % 10 == 0) {
                tag->reset();
                tag->bind(1, static_cast<int64_t>(id));
                tag->run();
            }
            customer->reset();
            order->reset();
            order->bind(1, "o" + std::to_string(i));
            order->bind(2, static_cast<int64_t>(id));
            order->bind(3, static_cast<int64_t>(placed));
            order->bind(4, static_cast<int64_t>(placed));
            order->run();
            item->reset();
            item->bind(1, "o" + std::to_string(i));
            item->bind(2, std::string(k_categories[i % 5]) + "-" + std::to_string(i % 40));
            item->bind(3, k_categories[i % 5]);
            item->run();
            history->reset();
            history->bind(1, static_cast<int64_t>(id));
            history->bind(2, static_cast<int64_t>(placed - (1 + i % 20) * bot::k_day_ms));
            history->bind(3, static_cast<int64_t>(placed));
            history->run();
        }
        transaction.commit();
    }
    db->execute("PRAGMA wal_checkpoint(TRUNCATE)");
    std::printf("scheduler: %d customers with one order and two stage changes each written in %.1f s; "
                "database %.0f MB\n",
                customers, seconds_since(fill_start), static_cast<double>(std::filesystem::file_size(path)) / 1e6);

    const auto find_start = Clock::now();
    auto count_due =
        db->prepare("SELECT count(*) FROM customers WHERE next_stage_check_at <= " + std::to_string(k_now));
    count_due->step();
    const auto found = count_due->int64(0);
    count_due->reset();
    std::printf("scheduler: finding the %lld due through the index took %.1f ms\n", static_cast<long long>(found),
                seconds_since(find_start) * 1000);

    store::WriteGate gate;
    templates::TemplateCache cache;
    bot::StageScheduler scheduler(
        path, gate, [] { return k_now; }, 60000, bot::PipelineOptions{&cache, {}, {}});
    const long rss_before = rss_kib();
    const auto run_start = Clock::now();
    const std::size_t updated = scheduler.run_due();
    const double elapsed = seconds_since(run_start);
    auto count_dormant = db->prepare("SELECT count(*) FROM customers WHERE stage = 'dormant'");
    count_dormant->step();
    const auto dormant = count_dormant->int64(0);
    count_dormant->reset();
    std::printf("scheduler: re-evaluated %zu due customers in %.2f s (%.0f/s), %lld now dormant; "
                "RSS %ld MiB (+%ld MiB during the pass)\n",
                updated, elapsed, static_cast<double>(updated) / elapsed, static_cast<long long>(dormant),
                rss_kib() / 1024, (rss_kib() - rss_before) / 1024);
    const auto again_start = Clock::now();
    const std::size_t again = scheduler.run_due();
    std::printf("scheduler: a pass with nothing due took %.2f ms (%zu re-evaluated)\n",
                seconds_since(again_start) * 1000, again);
}

} // namespace

int main(int argc, char** argv) {
    app::keep_freed_memory_for_reuse();     // as the pheu binary does
    spdlog::set_level(spdlog::level::warn); // a log line per message would measure the terminal
    const int events = argc > 1 ? std::atoi(argv[1]) : 200000;
    const int customers = argc > 2 ? std::atoi(argv[2]) : 1000000;
    const int due = argc > 3 ? std::atoi(argv[3]) : 20000;
    const auto dir = std::filesystem::temp_directory_path() / ("pheu-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    if (events > 0) {
        bench_worker(worker_database(dir), events);
    }
    bench_scheduler((dir / "scheduler.db").string(), customers, due);
    if (const char* keep = std::getenv("PHEU_BENCH_KEEP_DB"); keep != nullptr && *keep != '\0') {
        // bench/scale.sh serves this database to time the funnel report over HTTP.
        std::filesystem::rename(dir / "scheduler.db", keep);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
