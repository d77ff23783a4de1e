#pragma once
// A platform stand-in's HTTP server for the benchmarks: many threads, keep-alive, no Nagle,
// and a real listen backlog (cpp-httplib listens with 5, which makes connects under a burst
// fail in ways a platform's front end does not; handlers/http/http_server.cpp does the same).
#include <httplib.h>

#include <sys/socket.h>

#include <chrono>
#include <string>
#include <thread>

namespace pheu::bench {

class StandInServer {
public:
    // Call serve() once the routes are set.
    explicit StandInServer(int threads) {
        m_server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
        m_server.set_tcp_nodelay(true);
        m_server.set_keep_alive_max_count(1000000);
    }
    ~StandInServer() {
        m_server.stop();
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }
    StandInServer(const StandInServer&) = delete;
    StandInServer& operator=(const StandInServer&) = delete;

    httplib::Server& routes() { return m_server; }

    void serve() {
        int listen_fd = -1;
        m_server.set_socket_options([&listen_fd](int fd) {
            int yes = 1;
            ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
            listen_fd = fd;
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        ::listen(listen_fd, 4096);
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
};

} // namespace pheu::bench
