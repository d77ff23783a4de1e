// A broadcast to a large segment, end to end: pheu runs as its own process with the live
// transport pointed at a local stand-in for the Zalo OpenAPI; its database is seeded with
// N followers who wrote within the last hour (free consultation messages). The benchmark
// creates a template, a segment of everyone and a broadcast over the admin API, waits until
// the broadcast is done, and reports messages a second and the busiest second the stand-in
// saw, against the configured Zalo rate (which must never be exceeded).
// Usage: pheu_broadcast_bench PHEU_BINARY [customers=100000] [zalo_per_second=500]
#include "bench/pheu_process.h"
#include "bench/stand_in_server.h"
#include "store/migrations.h"
#include "store/sql/connection.h"
#include "store/database.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>

using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

// Consultation messages received per whole second since the first.
class ZaloCounter {
public:
    // A thread per sender connection: cpp-httplib keeps a thread per keep-alive connection.
    ZaloCounter() : m_server(64) {
        m_server.routes().Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
            if (request.path == "/v3.0/oa/message/cs") {
                const std::lock_guard lock(m_mutex);
                const auto now = Clock::now();
                if (m_received == 0) {
                    m_first = now;
                }
                ++m_received;
                ++m_per_second[std::chrono::duration_cast<std::chrono::seconds>(now - m_first).count()];
            }
            response.set_content(R"({"error":0,"message":"Success","data":{"message_id":"m1"}})", "application/json");
        });
        m_server.serve();
    }
    std::string base_url() const { return m_server.url(); }
    long busiest_second() const {
        const std::lock_guard lock(m_mutex);
        long busiest = 0;
        for (const auto& [second, count] : m_per_second) {
            busiest = std::max(busiest, count);
        }
        return busiest;
    }
    long received() const {
        const std::lock_guard lock(m_mutex);
        return m_received;
    }

private:
    mutable std::mutex m_mutex;
    Clock::time_point m_first;
    long m_received = 0;
    std::map<long, long> m_per_second;
    pheu::bench::StandInServer m_server; // last: stopped before what its handlers use
};

// N followers of the OA who wrote within the last hour, written straight to the database.
void seed(const std::filesystem::path& database, int customers) {
    auto db = pheu::store::open_and_migrate(database.string());
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    pheu::store::sql::Transaction transaction(*db);
    auto customer = db->prepare("INSERT INTO customers (created_at, first_seen_at, first_source, "
                                "last_interaction_at, is_follower) VALUES (?1, ?1, 'zalo', ?1, 1) RETURNING id");
    auto identity = db->prepare("INSERT INTO customer_identities (channel, external_id, account_id, customer_id, "
                                "created_at, last_interaction_at) VALUES ('zalo', ?, ?, ?, ?, ?)");
    for (int i = 0; i < customers; ++i) {
        const std::int64_t at = now - 3600 * 1000;
        customer->bind(1, static_cast<int64_t>(at));
        customer->step();
        const std::int64_t id = customer->int64(0);
        customer->reset();
        identity->bind(1, "user-" + std::to_string(i));
        identity->bind(2, pheu::bench::k_oa_id);
        identity->bind(3, static_cast<int64_t>(id));
        identity->bind(4, static_cast<int64_t>(at));
        identity->bind(5, static_cast<int64_t>(at));
        identity->run();
        identity->reset();
    }
    transaction.commit();
}

json admin(httplib::Client& client, const std::string& method, const std::string& path, const json& body = nullptr) {
    const httplib::Headers headers = {{"Authorization", std::string("Bearer ") + pheu::bench::k_admin_token}};
    auto result =
        method == "GET" ? client.Get(path, headers) : client.Post(path, headers, body.dump(), "application/json");
    if (!result || result->status >= 300) {
        std::fprintf(stderr, "%s %s failed: %s\n", method.c_str(), path.c_str(),
                     result ? result->body.c_str() : "no answer");
        std::exit(1);
    }
    return json::parse(result->body);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s PHEU_BINARY [customers=100000] [zalo_per_second=500]\n", argv[0]);
        return 2;
    }
    const std::string binary = argv[1];
    const int customers = argc > 2 ? std::atoi(argv[2]) : 100000;
    const int rate = argc > 3 ? std::atoi(argv[3]) : 500;
    const auto dir = std::filesystem::temp_directory_path() / ("pheu-broadcast-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    seed(dir / "pheu.db", customers);

    ZaloCounter zalo;
    const auto pheu = pheu::bench::start_pheu(binary, dir, zalo.base_url(),
                                              {{"zalo_per_second", rate}, {"concurrency", 32}, {"interval_ms", 200}});
    httplib::Client client("127.0.0.1", pheu.port);
    client.set_read_timeout(std::chrono::seconds(60));
    admin(client, "POST", "/api/v1/templates",
          {{"id", "bench_offer"}, {"body", "Chào {{customer.name}}! Ưu đãi tuần này."}});
    const json segment = admin(client, "POST", "/api/v1/segments", {{"name", "Mọi người"}, {"filter", json::object()}});
    const auto started = Clock::now();
    const json created = admin(client, "POST", "/api/v1/broadcasts",
                               {{"name", "Bench"}, {"segment_id", segment["id"]}, {"template", "bench_offer"}});
    json broadcast;
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        broadcast = admin(client, "GET", "/api/v1/broadcasts/" + created["id"].get<std::string>());
        if (broadcast["status"] == "done") {
            break;
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    pheu::bench::stop_pheu(pheu);
    // The dispatcher spaces calls at the rate with a burst of 5 after a quiet spell; a wall-clock
    // second at the stand-in may also hold a few calls that left in the last one.
    std::printf("broadcast to %d followers at zalo_per_second=%d: done in %.1f s = %.0f messages/s; sent %lld, "
                "skipped %lld; the stand-in received %ld, at most %ld in one wall-clock second\n",
                customers, rate, seconds, static_cast<double>(broadcast["sent"].get<long long>()) / seconds,
                broadcast["sent"].get<long long>(), broadcast["skipped"].get<long long>(), zalo.received(),
                zalo.busiest_second());
    std::filesystem::remove_all(dir);
    return 0;
}
