// End to end: how long a new shopper waits for pheu's first reply. pheu runs as its own
// process with the live transport pointed at a local stand-in for the Zalo OpenAPI (C++,
// cpp-httplib: no Python in the measured path); new shoppers' signed Zalo chats arrive at a
// fixed rate for a set time, and each shopper's latency is from the moment their webhook
// was sent to the moment the stand-in received pheu's first message to them.
// Usage: pheu_e2e_bench PHEU_BINARY [rates=300,1000,2000,4000] [seconds=10]
#include "bench/bench_args.h"
#include "bench/pheu_process.h"
#include "bench/stand_in_server.h"
#include "common/crypto.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

using pheu::bench::k_app_id;
using pheu::bench::k_oa_id;
using pheu::bench::k_oa_secret;
// Each rate runs with this many sending threads, each with its own keep-alive connection
// that waits for each answer before its next chat, as the platforms' senders do. With 16, a
// connection had 4 ms a chat at 4,000 a second and the 10 s of chats took 16-18 s to send;
// with 64 it has 16 ms.
constexpr int k_senders = 64;
// How long replies may still come after the last chat was sent.
constexpr auto k_drain = std::chrono::seconds(30);

// The Zalo OpenAPI as pheu's live transport calls it: token refresh, user detail, and the
// consultation message, whose first arrival per user is recorded.
class ZaloStandIn {
public:
    ZaloStandIn() : m_server(32) {
        auto& routes = m_server.routes();
        routes.Post("/v4/oa/access_token", [](const httplib::Request&, httplib::Response& response) {
            response.set_content(
                R"({"access_token":"bench-access","refresh_token":"bench-refresh","expires_in":"90000"})",
                "application/json");
        });
        routes.Get("/v3.0/oa/user/detail", [](const httplib::Request&, httplib::Response& response) {
            response.set_content(R"({"error":0,"message":"Success","data":{"display_name":"Lan Nguyễn"}})",
                                 "application/json");
        });
        routes.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
            const auto arrived = Clock::now();
            const json body = json::parse(request.body, nullptr, false);
            if (request.path == "/v3.0/oa/message/cs" && body.is_object() && body.contains("recipient")) {
                const std::string user = body["recipient"].value("user_id", "");
                const std::lock_guard lock(m_mutex);
                m_first_reply.emplace(user, arrived);
            }
            response.set_content(R"({"error":0,"message":"Success","data":{"message_id":"m)" +
                                     std::to_string(++m_count) + R"("}})",
                                 "application/json");
        });
        m_server.serve();
    }
    std::string base_url() const { return m_server.url(); }
    std::unordered_map<std::string, Clock::time_point> first_replies() const {
        const std::lock_guard lock(m_mutex);
        return m_first_reply;
    }
    std::size_t replied() const {
        const std::lock_guard lock(m_mutex);
        return m_first_reply.size();
    }

private:
    std::atomic<long> m_count{0};
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Clock::time_point> m_first_reply;
    pheu::bench::StandInServer m_server; // last: stopped before what its handlers use
};

// A new shopper's first chat, signed as Zalo signs it.
std::pair<std::string, std::string> chat_of(const std::string& user, long index) {
    static const char* phrases[] = {
        "Shop ơi cho mình hỏi áo thun cotton size M còn hàng không ạ?",
        "Có mã giảm giá cho đơn đầu tiên không shop?",
        "Chào shop",
        "Giá bao nhiêu vậy shop, ship về Đà Nẵng mất mấy ngày?",
    };
    const auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    const std::string timestamp = std::to_string(now_ms);
    const std::string body = json{
        {"app_id", k_app_id},
        {"sender", {{"id", user}}},
        {"user_id_by_app", "app-" + user},
        {"recipient", {{"id", k_oa_id}}},
        {"event_name", "user_send_text"},
        {"message", {{"text", phrases[index % 4]}, {"msg_id", "msg-" + user}}},
        {"timestamp", timestamp}}.dump();
    return {"mac=" + pheu::common::sha256_hex({k_app_id, body, timestamp, k_oa_secret}), body};
}

double percentile(std::vector<double>& sorted, double p) {
    if (sorted.empty()) {
        return 0;
    }
    const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(index, sorted.size() - 1)];
}

void run_rate(const std::string& binary, int rate, int seconds) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("pheu-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(rate));
    std::filesystem::create_directories(dir);
    ZaloStandIn zalo;
    const auto pheu = pheu::bench::start_pheu(binary, dir, zalo.base_url(), {{"zalo_per_second", 10000}});
    const long total = static_cast<long>(rate) * seconds;
    std::vector<Clock::time_point> sent_at(static_cast<std::size_t>(total));
    std::atomic<long> refused{0};
    const auto start = Clock::now() + std::chrono::milliseconds(200);
    std::vector<std::thread> senders;
    for (int t = 0; t < k_senders; ++t) {
        senders.emplace_back([&, t] {
            httplib::Client client("127.0.0.1", pheu.port);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);
            for (long i = t; i < total; i += k_senders) {
                std::this_thread::sleep_until(start + std::chrono::microseconds(i * 1'000'000 / rate));
                const std::string user = "e2e-" + std::to_string(rate) + "-" + std::to_string(i);
                const auto [signature, body] = chat_of(user, i);
                sent_at[static_cast<std::size_t>(i)] = Clock::now();
                const auto answer =
                    client.Post("/webhooks/zalo", {{"X-ZEvent-Signature", signature}}, body, "application/json");
                if (!answer || answer->status != 200) {
                    ++refused;
                }
            }
        });
    }
    for (auto& sender : senders) {
        sender.join();
    }
    const double send_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const auto deadline = Clock::now() + k_drain;
    while (zalo.replied() < static_cast<std::size_t>(total) && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    pheu::bench::stop_pheu(pheu);
    const auto replies = zalo.first_replies();
    std::vector<double> latencies_ms;
    for (long i = 0; i < total; ++i) {
        const auto found = replies.find("e2e-" + std::to_string(rate) + "-" + std::to_string(i));
        if (found != replies.end()) {
            latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(found->second - sent_at[static_cast<std::size_t>(i)])
                    .count());
        }
    }
    std::sort(latencies_ms.begin(), latencies_ms.end());
    std::printf("%5d chats/s for %d s (sent in %.1f s): %zu of %ld answered, %ld webhooks refused; first reply "
                "p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms\n",
                rate, seconds, send_seconds, latencies_ms.size(), total, refused.load(), percentile(latencies_ms, 0.50),
                percentile(latencies_ms, 0.90), percentile(latencies_ms, 0.99),
                latencies_ms.empty() ? 0.0 : latencies_ms.back());
    std::fflush(stdout);
    if (std::getenv("PHEU_E2E_KEEP") != nullptr) {
        std::printf("      kept: %s\n", dir.c_str());
    } else {
        std::filesystem::remove_all(dir);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: pheu_e2e_bench PHEU_BINARY [rates=300,1000,2000,4000] [seconds=10]\n");
        return 2;
    }
    const std::string binary = argv[1];
    const auto rates = pheu::bench::int_list(argc > 2 ? argv[2] : "300,1000,2000,4000");
    const int seconds = argc > 3 ? std::stoi(argv[3]) : 10;
    for (const int rate : rates) {
        run_rate(binary, rate, seconds);
    }
    return 0;
}
