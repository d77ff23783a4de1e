#include "tests/support/server_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

extern char** environ;

namespace pheu::testing {

namespace {

// Spawns the binary with its output into `log`; returns the pid.
pid_t spawn_pheu(const std::vector<std::string>& arguments, const std::string& log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<std::string> words = {PHEU_BINARY};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& word : words) {
        argv.push_back(word.data());
    }
    argv.push_back(nullptr);
    pid_t pid = -1;
    REQUIRE(posix_spawn(&pid, PHEU_BINARY, &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

int exit_status_of(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

ServerProcess::ServerProcess(const TempDir& dir, const std::string& config_path, const std::string& log_name)
    : m_log(dir.file(log_name)) {
    m_pid = spawn_pheu({"serve", "--config", config_path}, m_log);
    m_port = wait_for_port();
}

ServerProcess::~ServerProcess() {
    if (m_pid > 0) {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
}

int ServerProcess::signal_and_wait(int signal_number) {
    kill(m_pid, signal_number);
    const int status = exit_status_of(m_pid);
    m_pid = -1;
    return status;
}

void ServerProcess::pause() const {
    kill(m_pid, SIGSTOP);
}

void ServerProcess::resume() const {
    kill(m_pid, SIGCONT);
}

int ServerProcess::wait_for_port() const {
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

std::string write_sandbox_config(const TempDir& dir, bool worker_enabled) {
    const nlohmann::json config = {
        {"listen", {{"host", "127.0.0.1"}, {"port", 0}}},
        {"database", dir.file("pheu.db")},
        {"admin_token", "admin-token-for-tests-only"},
        {"events_token", "events-token-for-tests-only"},
        {"zalo", {{"accounts", {{{"oa_id", "oa-1"}, {"app_id", "app-1"}, {"oa_secret_key", "oa-secret-1"}}}}}},
        {"worker", {{"enabled", worker_enabled}}},
    };
    const std::string path = dir.file(worker_enabled ? "on.json" : "off.json");
    std::ofstream(path) << config.dump(2);
    return path;
}

CommandResult run_pheu(const std::vector<std::string>& arguments) {
    const TempDir dir;
    const std::string log = dir.file("command.log");
    CommandResult result;
    result.exit_status = exit_status_of(spawn_pheu(arguments, log));
    std::ifstream file(log, std::ios::binary);
    result.output.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    return result;
}

} // namespace pheu::testing
