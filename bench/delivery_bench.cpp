// Benchmark of delivery: outbox rows per second through the dispatcher (claim with an fsync,
// platform call, result recorded) against a local stand-in for the Zalo OpenAPI that
// answers after a set latency, side by side with the same number of bare HTTP calls from
// the same number of threads (the reference: what the calls alone cost).
// Usage: pheu_delivery_bench [messages=5000] [latency_ms=0,20] [concurrency=8,32]
#include "app/allocator_tuning.h"
#include "bot/channels/channel_directory.h"
#include "bot/channels/http_transport.h"
#include "bot/channels/token_vault.h"
#include "bot/config.h"
#include "bot/delivery/delivery_dispatcher.h"
#include "bench/bench_args.h"
#include "bench/stand_in_server.h"
#include "bot/metrics.h"
#include "store/migrations.h"
#include "store/database.h"
#include "store/write_gate.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

using namespace pheu;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::int64_t k_now = 1795428900000;

class StandIn {
public:
    explicit StandIn(int latency_ms) : m_server(64) {
        m_server.routes().Post(".*", [latency_ms, this](const httplib::Request&, httplib::Response& response) {
            if (latency_ms > 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(latency_ms));
            }
            response.set_content(R"({"error":0,"message":"Success","data":{"message_id":"m)" +
                                     std::to_string(++m_count) + R"("}})",
                                 "application/json");
        });
        m_server.serve();
    }
    std::string url() const { return m_server.url(); }

private:
    std::atomic<long> m_count{0};
    bench::StandInServer m_server; // last: stopped before what its handlers use
};

void queue_messages(const std::string& path, int messages) {
    auto db = store::open_and_migrate(path);
    store::sql::Transaction transaction(*db);
    auto customer = db->prepare("INSERT INTO customers (id, created_at) VALUES (?, 0)");
    auto identity = db->prepare("INSERT INTO customer_identities (channel, external_id, account_id, customer_id, "
                                "created_at, last_interaction_at) VALUES ('zalo', ?, 'oa-1', ?, 0, ?)");
    auto outbox = db->prepare("INSERT INTO outbox (customer_id, kind, channel, account_id, recipient, "
                              "idempotency_key, status, trigger, template, text, payload, created_at, updated_at) "
                              "VALUES (?, 'message', 'zalo', 'oa-1', ?, ?, 'queued', 'bench', 'welcome_chat', ?, "
                              "'{\"buttons\":[{\"title\":\"Xem ưu đãi\",\"payload\":\"VOUCHER\"}]}', ?, ?)");
    for (int i = 1; i <= messages; ++i) {
        const std::string user = "84" + std::to_string(900000000 + i);
        customer->bind(1, i);
        customer->run();
        customer->reset();
        identity->bind(1, user);
        identity->bind(2, i);
        identity->bind(3, static_cast<int64_t>(k_now));
        identity->run();
        identity->reset();
        outbox->bind(1, i);
        outbox->bind(2, user);
        outbox->bind(3, "bench:" + std::to_string(i));
        outbox->bind(4, "Chào bạn 👋 Cảm ơn bạn đã quan tâm shop. Mã giảm 10% cho đơn đầu: CHAO-7K2M, hạn 30/12/2026.");
        outbox->bind(5, static_cast<int64_t>(k_now));
        outbox->bind(6, static_cast<int64_t>(k_now));
        outbox->run();
        outbox->reset();
    }
    transaction.commit();
}

double dispatch(const std::string& base_url, int messages, int concurrency) {
    const std::string path = (std::filesystem::temp_directory_path() / "pheu-delivery-bench.db").string();
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path + suffix);
    }
    queue_messages(path, messages);
    bot::Config config;
    config.database = path;
    config.transport = bot::Transport::live;
    config.zalo_api_base = config.zalo_oauth_base = config.zalo_zns_base = base_url;
    config.zalo_accounts = {bot::ZaloAccount{"oa-1", "app-1", "oa-secret", "app-secret", "access", "refresh"}};
    store::WriteGate gate;
    bot::Metrics metrics;
    bot::channels::ChannelHealth health;
    auto transport = bot::channels::make_httplib_transport({5000, 10000});
    bot::channels::DatabaseTokenVault vault(path, gate, nullptr);
    // The wall clock, so a retried call comes due again.
    auto wall_clock = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    bot::channels::ChannelDirectory directory(config, *transport, vault, health, &metrics, wall_clock());
    bot::DeliveryOptions options;
    options.sandbox = false;
    options.concurrency = concurrency;
    options.batch_size = 256;
    options.zalo_per_second = 1e6; // measure pheu, not the limit
    options.retry.base_delay_ms = 10;
    bot::DeliveryDispatcher dispatcher(path, gate, metrics, wall_clock, options, directory, health);
    const auto start = Clock::now();
    while (dispatcher.run_once() > 0) {
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const auto db = store::sql::open_connection(path);
    auto count_sent = db->prepare("SELECT count(*) FROM outbox WHERE status = 'sent'");
    count_sent->step();
    const int sent = count_sent->int32(0);
    if (sent != messages) {
        std::printf("  (only %d of %d sent)\n", sent, messages);
        auto others = db->prepare("SELECT status, coalesce(reason, ''), count(*) FROM outbox WHERE status != 'sent' "
                                  "GROUP BY 1, 2");
        while (others->step()) {
            std::printf("  %s %s: %d\n", others->text(0).c_str(), others->text(1).c_str(), others->int32(2));
        }
    }
    dispatcher.stop();
    return messages / seconds;
}

double bare_calls(const std::string& base_url, int messages, int concurrency) {
    std::atomic<int> next{0};
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < concurrency; ++t) {
        threads.emplace_back([&] {
            httplib::Client client(base_url);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);
            const std::string body = R"({"recipient":{"user_id":"849"},"message":{"text":"Chào bạn 👋"}})";
            while (next++ < messages) {
                client.Post("/v3.0/oa/message/cs", {{"access_token", "access"}}, body, "application/json");
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    return messages / std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
    app::keep_freed_memory_for_reuse();    // as the pheu binary does
    spdlog::set_level(spdlog::level::err); // a line per send would measure the terminal
    const int messages = argc > 1 ? std::stoi(argv[1]) : 5000;
    const auto latencies = bench::int_list(argc > 2 ? argv[2] : "0,20");
    const auto concurrencies = bench::int_list(argc > 3 ? argv[3] : "8,32");
    std::printf("delivery: %d queued Zalo messages, dispatcher vs bare HTTP calls, same threads\n", messages);
    std::printf("%10s %11s %14s %14s %7s\n", "latency", "threads", "pheu msg/s", "bare calls/s", "ratio");
    for (int latency : latencies) {
        StandIn stand_in(latency);
        for (int concurrency : concurrencies) {
            const double pheu_rate = dispatch(stand_in.url(), messages, concurrency);
            const double bare_rate = bare_calls(stand_in.url(), messages, concurrency);
            std::printf("%8d ms %11d %14.0f %14.0f %6.0f%%\n", latency, concurrency, pheu_rate, bare_rate,
                        100.0 * pheu_rate / bare_rate);
        }
    }
    return 0;
}
