#pragma once
// The HTTP server: a few epoll event loops (http_event_loop.h) hold every connection, and
// each request goes to its route. Webhook routes are deferred: they run on the loop, hand
// their events to the inbox and answer when the group commit is durable, so no thread
// waits per request. Every other route blocks a thread of the handler pool. One log line
// and one latency observation per request; JSON errors for whatever no route answers.
#include "common/instance_share.h"
#include "handlers/http/http_exchange.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace pheu::bot {
class Metrics;
}

namespace pheu::handlers {

class ElasticThreadPool;
class FailedAuthGuard;
class HttpEventLoop;
struct IncomingRequest;

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080; // 0 picks a free port
    int threads = 16;          // handler threads started at once
    int max_threads = 1024;    // grown to on demand, one per blocking request in progress
    int keep_alive_seconds = 5;
    std::size_t max_body_bytes = 1048576;
    int loops = 0;                    // event loop threads; 0: half the cores, 1 to 4
    int request_timeout_seconds = 10; // a request's head and body, from its first byte
    // Connections one address may hold waiting for a request (see reading_connections.h).
    // Behind a reverse proxy every connection comes from the proxy: raise it there.
    int max_reading_per_peer = 64;
    // Wrong bearer tokens one address may send at once, then per minute (failed_auth_guard.h).
    int failed_auth_burst = 10;
    int failed_auth_per_minute = 10;
    // Several instances on one database share those allowances (common/instance_share.h).
    const common::InstanceShare* instance_share = nullptr;
};

// How a route's failed authentications (its 401 answers) count against the peer
// (failed_auth_guard.h): when the request carried a token or a session cookie, or always
// (the sign-in, whose name and password come in the body).
enum class FailureGuard { credentials_in_headers, always };

// Runs on a handler thread and may block.
using RouteHandler = std::function<HttpReply(const HttpRequestView&)>;
// Runs on an event loop and must not block: it answers through the sink, at once or later.
using DeferredRouteHandler = std::function<void(const HttpRequestView&, ReplySink)>;

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
    void add(Method method, const std::string& pattern, const std::string& route_name, RouteHandler handler,
             FailureGuard guard = FailureGuard::credentials_in_headers);
    void add_deferred(Method method, const std::string& pattern, const std::string& route_name,
                      DeferredRouteHandler handler);

    // Called (on a handler thread) with the peer whose failed authentications just used its
    // allowance, before its requests with a token are answered 429: for the audit log.
    void on_auth_lockout(std::function<void(const std::string& peer)> observer);

    // Every route added, in order (tests walk them: every admin route refuses a missing token).
    const std::vector<RouteInfo>& routes() const { return m_routes; }

    // Binds the socket and returns the port. Throws std::runtime_error when it cannot.
    std::uint16_t bind();
    // Serves on background threads until stop().
    void start();
    // Stops accepting, lets running requests finish and be answered, and returns once they
    // have (or after a grace period).
    void stop();

private:
    struct Route {
        Method method;
        // The pattern itself when it has no regex syntax: compared as a string, because one
        // std::regex_match cost a webhook more instructions than reading its request head.
        std::optional<std::string> literal;
        std::regex pattern;
        std::string name;
        FailureGuard guard = FailureGuard::credentials_in_headers;
        RouteHandler blocking = {};
        DeferredRouteHandler deferred = {};
    };

    void dispatch(IncomingRequest request, ReplySink reply);
    HttpReply refusal(int status, const std::string& method, const std::string& path) const;

    ServerOptions m_options;
    bot::Metrics& m_metrics;
    std::vector<Route> m_route_table;
    std::vector<RouteInfo> m_routes;
    int m_listen_fd = -1;
    // Shared with the answers made after a request left the loop, which may outlive a stop.
    std::shared_ptr<ElasticThreadPool> m_pool;
    std::shared_ptr<FailedAuthGuard> m_auth_guard;
    std::shared_ptr<const std::function<void(const std::string&)>> m_lockout_observer;
    std::vector<std::unique_ptr<HttpEventLoop>> m_loops;
};

} // namespace pheu::handlers
