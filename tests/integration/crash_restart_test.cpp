// Runs the real pheu binary so it can be killed with SIGKILL, then restarted on the same file.
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <SQLiteCpp/Database.h>
#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <regex>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>

extern char** environ;

using namespace pheu::testing;
using nlohmann::json;

namespace {

class ServerProcess {
public:
    ServerProcess(const TempDir& dir, const std::string& config_path, const std::string& log_name)
        : m_log(dir.file(log_name)) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        std::vector<std::string> words = {PHEU_BINARY, "serve", "--config", config_path};
        std::vector<char*> argv;
        for (auto& word : words) {
            argv.push_back(word.data());
        }
        argv.push_back(nullptr);
        REQUIRE(posix_spawn(&m_pid, PHEU_BINARY, &actions, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        m_port = wait_for_port();
    }

    ~ServerProcess() {
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
    }

    int port() const { return m_port; }

    // Returns the exit status (or the signal number + 128).
    int signal_and_wait(int signal_number) {
        kill(m_pid, signal_number);
        int status = 0;
        waitpid(m_pid, &status, 0);
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    int wait_for_port() const {
        const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
        for (int attempt = 0; attempt < 500; ++attempt) {
            std::ifstream log(m_log);
            std::string line;
            while (std::getline(log, line)) {
                std::smatch match;
                if (std::regex_search(line, match, listening)) {
                    return std::stoi(match[1]);
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        FAIL("pheu did not start; its log is in " << m_log);
        return 0;
    }

    std::string m_log;
    pid_t m_pid = -1;
    int m_port = 0;
};

std::string write_config(const TempDir& dir, bool worker_enabled) {
    const json config = {
        {"listen", {{"host", "127.0.0.1"}, {"port", 0}}},
        {"database", dir.file("pheu.db")},
        {"admin_token", "admin-token"},
        {"events_token", "events-token"},
        {"zalo", {{"accounts", {{{"oa_id", "oa-1"}, {"app_id", "app-1"}, {"oa_secret_key", "oa-secret-1"}}}}}},
        {"worker", {{"enabled", worker_enabled}}},
    };
    const std::string path = dir.file(worker_enabled ? "on.json" : "off.json");
    std::ofstream(path) << config.dump(2);
    return path;
}

} // namespace

TEST_CASE("events acknowledged before kill -9 survive and are processed after restart", "[integration][crash]") {
    TempDir dir;
    constexpr int k_events = 40;
    {
        ServerProcess server(dir, write_config(dir, /*worker_enabled=*/false), "first.log");
        httplib::Client client("127.0.0.1", server.port());
        for (int i = 0; i < k_events; ++i) {
            const std::string body =
                json{{"app_id", "app-1"}, {"sender", {{"id", "user-" + std::to_string(i % 7)}}},
                     {"recipient", {{"id", "oa-1"}}}, {"event_name", "user_send_text"},
                     {"message", {{"text", "xin chào"}, {"msg_id", "msg-" + std::to_string(i)}}},
                     {"timestamp", "1795428900000"}}
                    .dump();
            auto result = client.Post("/webhooks/zalo",
                                      {{"X-ZEvent-Signature", zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-1")}},
                                      body, "application/json");
            REQUIRE(result);
            REQUIRE(result->status == 200);
        }
        // Killed right after the last answer: nothing gets a chance to flush or finish.
        CHECK(server.signal_and_wait(SIGKILL) == 128 + SIGKILL);
    }
    const std::string database = dir.file("pheu.db");
    CHECK(query_int(database, "SELECT count(*) FROM inbox_events") == k_events);
    CHECK(query_int(database, "SELECT count(*) FROM inbox_events WHERE state = 'pending'") == k_events);
    CHECK(query_int(database, "SELECT count(*) FROM customers") == 0);

    ServerProcess restarted(dir, write_config(dir, /*worker_enabled=*/true), "second.log");
    for (int attempt = 0; attempt < 500 && query_int(database, "SELECT count(*) FROM inbox_events WHERE state = 'pending'") > 0;
         ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(query_int(database, "SELECT count(*) FROM inbox_events WHERE state = 'processed'") == k_events);
    CHECK(query_int(database, "SELECT count(*) FROM customers") == 7);
    // A graceful stop exits cleanly.
    CHECK(restarted.signal_and_wait(SIGTERM) == 0);
    CHECK(SQLite::Database(database).execAndGet("PRAGMA integrity_check").getString() == "ok");
}
