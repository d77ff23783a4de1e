#include "handlers/http_server.h"

#include "bot/metrics.h"
#include "handlers/elastic_thread_pool.h"
#include "handlers/json_error.h"
#include "handlers/stop_reading.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

namespace pheu::handlers {

namespace {

// The backlog cpp-httplib 0.11.4 listens with is fixed at 5, which drops connects when
// many clients connect at once; listening again on the bound socket raises it.
constexpr int k_listen_backlog = 4096;
// Keep-alive connections from the platforms and load balancers should stay open.
constexpr std::size_t k_keep_alive_max_requests = 100000;

// When the current request on this thread was routed, for the log line's duration.
thread_local std::optional<std::chrono::steady_clock::time_point> t_request_started;

HttpReply default_error_for(int status) {
    switch (status) {
    case 400: return json_error(400, "bad_request", "The request could not be read.");
    case 404: return json_error(404, "not_found", "There is nothing at this path.");
    case 405: return json_error(405, "method_not_allowed", "This path does not take that method.");
    case 413: return json_error(413, "payload_too_large", "The body is larger than this server accepts.");
    case 414: return json_error(414, "uri_too_long", "The request line is too long.");
    default: return json_error(status, "error", "The request failed.");
    }
}

// True when a Content-Length header declares more than `max` bytes (or a number too long to
// read, which is more than any limit).
bool declared_length_exceeds(const std::string& header, std::size_t max) {
    if (header.empty()) {
        return false;
    }
    std::size_t value = 0;
    for (const char c : header) {
        if (c < '0' || c > '9') {
            return false; // not a length: cpp-httplib answers 400 for it
        }
        value = value * 10 + static_cast<std::size_t>(c - '0');
        if (value > max) {
            return true; // stops before the value could overflow (max is at most 2^31)
        }
    }
    return false;
}

void write_reply(const HttpReply& reply, httplib::Response& response) {
    response.status = reply.status;
    for (const auto& [name, value] : reply.headers) {
        response.set_header(name, value);
    }
    response.set_content(reply.body, reply.content_type.c_str());
}

} // namespace

HttpServer::HttpServer(ServerOptions options, bot::Metrics& metrics)
    : m_options(std::move(options)), m_metrics(metrics), m_server(std::make_unique<httplib::Server>()) {
    auto& server = *m_server;
    const auto core = static_cast<std::size_t>(m_options.threads);
    const auto max = static_cast<std::size_t>(std::max(m_options.max_threads, m_options.threads));
    server.new_task_queue = [core, max] { return new ElasticThreadPool(core, max); };
    server.set_tcp_nodelay(true);
    server.set_keep_alive_timeout(m_options.keep_alive_seconds);
    server.set_keep_alive_max_count(k_keep_alive_max_requests);
    server.set_payload_max_length(m_options.max_body_bytes);
    server.set_socket_options([this](int fd) {
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        m_listen_fd = fd;
    });
    // Runs once the headers are read and before the body is. A declared body of at least
    // twice the limit is refused here, unread, and its connection's reading stopped (see
    // stop_reading.h): the client, which may still be sending, can see its connection
    // reset, the price of never reading megabytes nobody asked for. A body only somewhat
    // over the limit goes through cpp-httplib's own limit instead, which reads and
    // discards it (without buffering) and answers 413 on a connection that stays usable.
    const std::size_t max_body = m_options.max_body_bytes;
    server.set_pre_routing_handler([max_body](const httplib::Request& request, httplib::Response& response) {
        t_request_started = std::chrono::steady_clock::now();
        if (declared_length_exceeds(request.get_header_value("Content-Length"), 2 * max_body - 1)) {
            write_reply(default_error_for(413), response);
            response.set_header("Connection", "close");
            stop_reading_connection(request.local_port, request.remote_port);
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request&, httplib::Response& response) {
            if (response.body.empty()) {
                write_reply(default_error_for(response.status), response);
            }
            return httplib::Server::HandlerResponse::Handled;
        }));
    server.set_exception_handler([](const httplib::Request& request, httplib::Response& response,
                                    std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& exception) {
            what = exception.what();
        } catch (...) {
        }
        spdlog::error("{} {}: unhandled error: {}", request.method, request.path, what);
        write_reply(json_error(500, "internal_error", "Something went wrong on our side."), response);
    });
    // One line per request. The path is logged without its query string, which may carry
    // a phone number; headers and bodies, which carry signatures and tokens, never are.
    server.set_logger([](const httplib::Request& request, const httplib::Response& response) {
        if (t_request_started) {
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                        *t_request_started)
                                  .count();
            spdlog::info("{} {} {} {:.2f}ms {}", request.method, request.path, response.status, ms, request.remote_addr);
        } else {
            spdlog::info("{} {} {} - {}", request.method, request.path, response.status, request.remote_addr);
        }
        t_request_started.reset();
    });
}

HttpServer::~HttpServer() {
    stop();
}

void HttpServer::add(Method method, const std::string& pattern, const std::string& route_name, RouteHandler handler) {
    m_routes.push_back(RouteInfo{method, pattern, route_name});
    auto wrapped = [this, route_name, handler = std::move(handler)](const httplib::Request& request,
                                                                     httplib::Response& response) {
        const auto started = std::chrono::steady_clock::now();
        HttpRequestView view;
        view.body = request.body;
        view.header = [&request](const std::string& name) { return request.get_header_value(name.c_str()); };
        view.query = [&request](const std::string& name) { return request.get_param_value(name.c_str()); };
        for (std::size_t i = 1; i < request.matches.size(); ++i) {
            view.path_params.push_back(request.matches[i].str());
        }
        write_reply(handler(view), response);
        m_metrics.observe_request(route_name,
                                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
    switch (method) {
    case Method::get: m_server->Get(pattern, wrapped); break;
    case Method::post: m_server->Post(pattern, wrapped); break;
    case Method::put: m_server->Put(pattern, wrapped); break;
    case Method::del: m_server->Delete(pattern, wrapped); break;
    case Method::options: m_server->Options(pattern, wrapped); break;
    }
}

std::uint16_t HttpServer::bind() {
    int port = 0;
    if (m_options.port == 0) {
        port = m_server->bind_to_any_port(m_options.host);
    } else if (m_server->bind_to_port(m_options.host, m_options.port)) {
        port = m_options.port;
    } else {
        port = -1;
    }
    if (port <= 0) {
        throw std::runtime_error("cannot listen on " + m_options.host + ":" + std::to_string(m_options.port) +
                                 " (is another process using it?)");
    }
    if (m_listen_fd >= 0) {
        ::listen(m_listen_fd, k_listen_backlog);
    }
    return static_cast<std::uint16_t>(port);
}

void HttpServer::start() {
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    while (!m_server->is_running()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void HttpServer::stop() {
    if (m_thread.joinable()) {
        m_server->stop();
        m_thread.join(); // listen_after_bind returns once the pool has finished its requests
    }
}

} // namespace pheu::handlers
