// The reference for the ingest benchmark: cpp-httplib with the same settings pheu's server
// uses (TCP_NODELAY, a 64-thread pool, long keep-alive), answering "ok" and doing nothing.
#include <httplib.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    const int port = argc > 1 ? std::atoi(argv[1]) : 18081;
    const int threads = argc > 2 ? std::atoi(argv[2]) : 64;
    httplib::Server server;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server.set_tcp_nodelay(true);
    server.set_keep_alive_timeout(5);
    server.set_keep_alive_max_count(100000);
    server.Post("/webhooks/zalo", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(R"({"status":"ok"})", "application/json");
    });
    std::printf("bare server on 127.0.0.1:%d\n", port);
    std::fflush(stdout);
    return server.listen("127.0.0.1", port) ? 0 : 1;
}
