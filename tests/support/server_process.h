#pragma once
// The real pheu binary as a separate process: to be killed with SIGKILL, restarted on the
// same file, or run as a command (`pheu backup`, `pheu restore`).
#include "tests/support/temp_dir.h"

#include <sys/types.h>

#include <string>
#include <vector>

namespace pheu::testing {

class ServerProcess {
public:
    // Runs `pheu serve --config CONFIG_PATH`, its output in DIR/LOG_NAME, and waits until it listens.
    ServerProcess(const TempDir& dir, const std::string& config_path, const std::string& log_name);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return m_port; }
    const std::string& log_path() const { return m_log; }
    // Returns the exit status (or the signal number + 128).
    int signal_and_wait(int signal_number);
    // Stops the process where it is (SIGSTOP), as a machine that hangs would; resume() lets
    // it go on (SIGCONT).
    void pause() const;
    void resume() const;

private:
    int wait_for_port() const;

    std::string m_log;
    pid_t m_pid = -1;
    int m_port = 0;
};

struct CommandResult {
    int exit_status = -1;
    std::string output; // stdout and stderr together
};

// A sandbox configuration file in DIR: port 0, DIR/pheu.db, the test tokens, Zalo account
// app-1 (OA oa-1, secret oa-secret-1); the worker on or off.
std::string write_sandbox_config(const TempDir& dir, bool worker_enabled);

// Runs `pheu ARGUMENTS…` to its end.
CommandResult run_pheu(const std::vector<std::string>& arguments);

} // namespace pheu::testing
