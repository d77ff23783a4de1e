#pragma once
// The HTTP server: cpp-httplib configured for a webhook receiver (TCP_NODELAY, a thread pool
// sized for the expected connections, a deep listen backlog, a body limit, JSON errors), with
// one log line and one latency observation per request. Routes are added by routes.cpp.
#include "handlers/http_exchange.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}
namespace pheu::bot {
class Metrics;
}

namespace pheu::handlers {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080; // 0 picks a free port
    int threads = 64;      // started at once
    int max_threads = 1024; // grown to on demand, one per connection being served
    int keep_alive_seconds = 5;
    std::size_t max_body_bytes = 1048576;
};

enum class Method { get, post, put, del, options };

using RouteHandler = std::function<HttpReply(const HttpRequestView&)>;

struct RouteInfo {
    Method method;
    std::string pattern;
    std::string name;
};

class HttpServer {
public:
    HttpServer(ServerOptions options, bot::Metrics& metrics);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // `pattern` is a regular expression over the path; its groups become path_params.
    // `route_name` labels the latency metric (a fixed string, never the concrete path).
    void add(Method method, const std::string& pattern, const std::string& route_name, RouteHandler handler);

    // Every route added, in order (tests walk them: every admin route refuses a missing token).
    const std::vector<RouteInfo>& routes() const { return m_routes; }

    // Binds the socket and returns the port. Throws std::runtime_error when it cannot.
    std::uint16_t bind();
    // Serves on a background thread until stop().
    void start();
    // Stops accepting, lets running requests finish, and returns once they have.
    void stop();

private:
    ServerOptions m_options;
    bot::Metrics& m_metrics;
    std::unique_ptr<httplib::Server> m_server;
    std::atomic<int> m_listen_fd{-1};
    std::vector<RouteInfo> m_routes;
    std::thread m_thread;
};

} // namespace pheu::handlers
