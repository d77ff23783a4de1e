#pragma once
// The real pheu binary as the end-to-end benchmarks run it: its own process, the live
// transport pointed at a local platform stand-in, a temporary directory for its database,
// configuration and log.
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

namespace pheu::bench {

inline constexpr const char* k_app_id = "bench_app";
inline constexpr const char* k_oa_id = "bench_oa";
inline constexpr const char* k_oa_secret = "bench-oa-secret-key";
inline constexpr const char* k_admin_token = "bench-admin-token-0123456789";

struct PheuProcess {
    pid_t pid = -1;
    int port = 0;
};

// Starts `binary serve` on DIR/pheu.db (or on the database PHEU_BENCH_DATABASE names, a
// PostgreSQL URL) with one Zalo OA whose API is `api_base`, with the given "delivery"
// settings (and PHEU_BENCH_WORKER_THREADS workers if set), and waits until it listens.
inline PheuProcess start_pheu(const std::string& binary, const std::filesystem::path& dir, const std::string& api_base,
                              const nlohmann::json& delivery) {
    const char* database = std::getenv("PHEU_BENCH_DATABASE");
    nlohmann::json config = {
        {"listen", {{"host", "127.0.0.1"}, {"port", 0}}},
        {"database", database != nullptr ? std::string(database) : (dir / "pheu.db").string()},
        {"admin_token", k_admin_token},
        {"events_token", "bench-events-token-0123456789"},
        {"transport", "live"},
        {"zalo",
         {{"api_base", api_base},
          {"oauth_base", api_base},
          {"zns_base", api_base},
          {"accounts",
           {{{"oa_id", k_oa_id},
             {"app_id", k_app_id},
             {"oa_secret_key", k_oa_secret},
             {"app_secret", "bench-app-secret"},
             {"access_token", "bench-access"},
             {"refresh_token", "bench-refresh"}}}}}},
        {"delivery", delivery},
    };
    if (const char* threads = std::getenv("PHEU_BENCH_WORKER_THREADS"); threads != nullptr && *threads != '\0') {
        config["worker"] = {{"threads", std::atoi(threads)}};
    }
    std::ofstream(dir / "pheu.json") << config.dump(2);
    const std::string log = (dir / "pheu.log").string();
    const std::string config_path = (dir / "pheu.json").string();
    PheuProcess pheu;
    pheu.pid = fork();
    if (pheu.pid == 0) {
        std::freopen(log.c_str(), "w", stdout);
        std::freopen(log.c_str(), "a", stderr);
        execl(binary.c_str(), binary.c_str(), "serve", "--config", config_path.c_str(), nullptr);
        _exit(127);
    }
    const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
    for (int attempt = 0; attempt < 500 && pheu.port == 0; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::ifstream file(log);
        std::string line;
        while (std::getline(file, line)) {
            std::smatch match;
            if (std::regex_search(line, match, listening)) {
                pheu.port = std::stoi(match[1]);
            }
        }
    }
    if (pheu.port == 0) {
        std::fprintf(stderr, "pheu did not start; its log is in %s\n", log.c_str());
        std::exit(1);
    }
    return pheu;
}

inline void stop_pheu(const PheuProcess& pheu) {
    kill(pheu.pid, SIGTERM);
    waitpid(pheu.pid, nullptr, 0);
}

} // namespace pheu::bench
