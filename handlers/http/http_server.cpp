#include "handlers/http/http_server.h"

#include "bot/metrics.h"
#include "handlers/http/descriptor_limit.h"
#include "handlers/http/elastic_thread_pool.h"
#include "handlers/http/failed_auth_guard.h"
#include "handlers/http/exception_text.h"
#include "handlers/http/http_event_loop.h"
#include "handlers/http/json_error.h"
#include "handlers/http/reading_connections.h"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace pheu::handlers {

namespace {

constexpr int k_listen_backlog = 4096;
// Keep-alive connections from the platforms and load balancers should stay open.
constexpr std::size_t k_keep_alive_max_requests = 100000;
// How long a stop waits for requests in flight to be answered.
constexpr auto k_stop_grace = std::chrono::seconds(5);
constexpr int k_max_loops = 4;

std::optional<std::string> literal_pattern(const std::string& pattern) {
    if (pattern.find_first_of(R"(\^$.|?*+()[]{})") != std::string::npos) {
        return std::nullopt;
    }
    return pattern;
}

HttpReply default_error_for(int status) {
    switch (status) {
    case 400:
        return json_error(400, "bad_request", "The request could not be read.");
    case 404:
        return json_error(404, "not_found", "There is nothing at this path.");
    case 405:
        return json_error(405, "method_not_allowed", "This path does not take that method.");
    case 411:
        return json_error(411, "length_required",
                          "Send the body with a Content-Length; chunked bodies are not accepted.");
    case 413:
        return json_error(413, "payload_too_large", "The body is larger than this server accepts.");
    case 414:
        return json_error(414, "uri_too_long", "The request line is too long.");
    case 415:
        return json_error(415, "unsupported_encoding", "Send the body uncompressed (no Content-Encoding).");
    case 431:
        return json_error(431, "headers_too_large", "The request headers are too large.");
    default:
        return json_error(status, "error", "The request failed.");
    }
}

std::optional<Method> method_named(const std::string& name) {
    static const std::array<std::pair<const char*, Method>, 6> k_methods{{{"GET", Method::get},
                                                                          {"HEAD", Method::get},
                                                                          {"POST", Method::post},
                                                                          {"PUT", Method::put},
                                                                          {"DELETE", Method::del},
                                                                          {"OPTIONS", Method::options}}};
    for (const auto& [text, method] : k_methods) {
        if (name == text) {
            return method;
        }
    }
    return std::nullopt;
}

// A request with the captures its route found, shared by the view's lookups and whoever
// answers it (a handler thread, or the inbox writer for a deferred route).
struct Exchange {
    IncomingRequest request;
    Method method = Method::get;
    std::vector<std::string> path_params;

    HttpRequestView view() const {
        HttpRequestView view;
        view.method = method;
        view.body = request.body;
        view.header = [this](const std::string& name) { return request.head.header(name); };
        view.query = [this](const std::string& name) {
            return query_parameter(request.head.query_string, name).value_or(std::string());
        };
        view.path_params = path_params;
        return view;
    }
};

int listen_on(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0 ||
        found == nullptr) {
        return -1;
    }
    int fd = -1;
    for (addrinfo* candidate = found; candidate != nullptr && fd < 0; candidate = candidate->ai_next) {
        fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                      candidate->ai_protocol);
        if (fd < 0) {
            continue;
        }
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, candidate->ai_addr, candidate->ai_addrlen) != 0 || ::listen(fd, k_listen_backlog) != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(found);
    return fd;
}

std::uint16_t bound_port(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    if (address.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
    }
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
}

} // namespace

HttpServer::HttpServer(ServerOptions options, bot::Metrics& metrics)
    : m_options(std::move(options)), m_metrics(metrics),
      m_auth_guard(std::make_shared<FailedAuthGuard>(m_options.failed_auth_burst, m_options.failed_auth_per_minute,
                                                     m_options.instance_share)) {}

void HttpServer::on_auth_lockout(std::function<void(const std::string& peer)> observer) {
    m_lockout_observer = std::make_shared<const std::function<void(const std::string&)>>(std::move(observer));
}

HttpServer::~HttpServer() {
    stop();
    if (m_listen_fd >= 0) {
        ::close(m_listen_fd);
    }
}

void HttpServer::add(Method method, const std::string& pattern, const std::string& route_name, RouteHandler handler,
                     FailureGuard guard) {
    m_routes.push_back(RouteInfo{method, pattern, route_name});
    m_route_table.push_back(Route{.method = method,
                                  .literal = literal_pattern(pattern),
                                  .pattern = std::regex(pattern),
                                  .name = route_name,
                                  .guard = guard,
                                  .blocking = std::move(handler)});
}

void HttpServer::add_deferred(Method method, const std::string& pattern, const std::string& route_name,
                              DeferredRouteHandler handler) {
    m_routes.push_back(RouteInfo{method, pattern, route_name});
    m_route_table.push_back(Route{.method = method,
                                  .literal = literal_pattern(pattern),
                                  .pattern = std::regex(pattern),
                                  .name = route_name,
                                  .deferred = std::move(handler)});
}

std::uint16_t HttpServer::bind() {
    m_listen_fd = listen_on(m_options.host, m_options.port);
    if (m_listen_fd < 0) {
        throw std::runtime_error("cannot listen on " + m_options.host + ":" + std::to_string(m_options.port) +
                                 " (is another process using it?)");
    }
    return bound_port(m_listen_fd);
}

void HttpServer::start() {
    const auto core = static_cast<std::size_t>(m_options.threads);
    const auto max = static_cast<std::size_t>(std::max(m_options.max_threads, m_options.threads));
    m_pool = std::make_shared<ElasticThreadPool>(core, max);
    int loops = m_options.loops;
    if (loops <= 0) {
        // Half the cores: a loop is rarely the limit, while the inbox writer, the worker and
        // the sender threads need cores too (on 2 cores one loop took 13k webhooks a second,
        // two took 12k).
        loops = std::clamp(static_cast<int>(std::thread::hardware_concurrency()) / 2, 1, k_max_loops);
    }
    const ConnectionBudget budget = connection_budget(
        raise_descriptor_limit(), loops, static_cast<std::size_t>(std::max(m_options.max_reading_per_peer, 1)));
    LoopLimits limits;
    limits.max_body_bytes = m_options.max_body_bytes;
    limits.keep_alive = std::chrono::seconds(m_options.keep_alive_seconds);
    limits.request_timeout = std::chrono::seconds(m_options.request_timeout_seconds);
    limits.max_requests_per_connection = k_keep_alive_max_requests;
    limits.max_connections = budget.max_connections;
    limits.reading = budget.reading;
    for (int i = 0; i < loops; ++i) {
        m_loops.push_back(std::make_unique<HttpEventLoop>(
            m_listen_fd, limits,
            [this](IncomingRequest request, ReplySink reply) { dispatch(std::move(request), std::move(reply)); },
            [this](int status, const std::string& method, const std::string& path) {
                return refusal(status, method, path);
            }));
    }
    for (auto& loop : m_loops) {
        loop->start();
    }
}

void HttpServer::stop() {
    for (auto& loop : m_loops) {
        loop->request_stop(k_stop_grace);
    }
    for (auto& loop : m_loops) {
        loop->wait();
    }
    // Handlers still running finish here; their answers find their connections closed.
    if (m_pool) {
        m_pool->shutdown();
    }
    m_loops.clear();
}

HttpReply HttpServer::refusal(int status, const std::string& method, const std::string& path) const {
    // The path is logged without its query string, which may carry a phone number; headers
    // and bodies, which carry signatures and tokens, never are.
    spdlog::info("{} {} {} - refused before routing", method.empty() ? "-" : method, path.empty() ? "-" : path, status);
    return default_error_for(status);
}

void HttpServer::dispatch(IncomingRequest request, ReplySink reply) {
    const std::optional<Method> method = method_named(request.head.method);
    auto exchange = std::make_shared<Exchange>();
    exchange->request = std::move(request);
    exchange->method = method.value_or(Method::get);
    const Route* route = nullptr;
    if (method) {
        const std::string& path = exchange->request.head.path;
        std::smatch match;
        for (const Route& candidate : m_route_table) {
            if (candidate.method != *method) {
                continue;
            }
            if (candidate.literal) {
                if (path != *candidate.literal) {
                    continue;
                }
            } else if (!std::regex_match(path, match, candidate.pattern)) {
                continue;
            } else {
                for (std::size_t i = 1; i < match.size(); ++i) {
                    exchange->path_params.push_back(match[i].str());
                }
            }
            route = &candidate;
            break;
        }
    }
    // A request with a token or a session cookie (or a sign-in), from a peer that has used its
    // failed authentications: 429 before any handler compares the token or the password.
    const auto& request_head = exchange->request.head;
    const bool carries_token = !request_head.header("Authorization").empty() ||
                               !request_head.header("Cookie").empty() ||
                               (route != nullptr && route->guard == FailureGuard::always);
    const std::string peer = carries_token ? peer_key(exchange->request.remote_address) : std::string();
    std::optional<HttpReply> held_back = carries_token ? m_auth_guard->refusal(peer) : std::nullopt;
    // Logs and measures the answer, then sends it; runs wherever the answer is made. It holds
    // nothing of the server, which an answer made during a stop may outlive.
    auto answer = [&metrics = m_metrics, exchange, route_name = route != nullptr ? route->name : std::string(),
                   reply = std::move(reply), carries_token, peer, guard = m_auth_guard,
                   pool = std::weak_ptr<ElasticThreadPool>(m_pool), observer = m_lockout_observer](HttpReply made) {
        const auto& head = exchange->request.head;
        if (carries_token && made.status == 401) {
            metrics.auth_failed();
            if (guard->record_failure(peer)) {
                spdlog::warn("http: too many failed authentications from {}; its requests with a token are "
                             "answered 429 for a while",
                             peer);
                const auto threads = pool.lock();
                if (observer && threads) {
                    threads->enqueue([observer, peer] { (*observer)(peer); });
                }
            }
        } else if (made.status == 429 && carries_token) {
            metrics.request_rejected("auth", "rate_limited");
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - exchange->request.started).count();
        if (!route_name.empty()) {
            metrics.observe_request(route_name, seconds);
        }
        // The API's answers carry names, phones and conversations (the CSV export too): no
        // browser or proxy may keep a copy.
        if (head.path.rfind("/api/", 0) == 0 &&
            std::none_of(made.headers.begin(), made.headers.end(),
                         [](const auto& h) { return h.first == "Cache-Control"; })) {
            made.headers.emplace_back("Cache-Control", "no-store");
        }
        spdlog::info("{} {} {} {:.2f}ms {}", head.method, head.path, made.status, seconds * 1000.0,
                     exchange->request.remote_address);
        reply(std::move(made));
    };
    if (held_back) {
        return answer(std::move(*held_back));
    }
    if (route == nullptr) {
        return answer(default_error_for(method ? 404 : 400));
    }
    auto fail = [exchange](const std::exception_ptr& error) {
        const auto& head = exchange->request.head;
        spdlog::error("{} {}: unhandled error: {}", head.method, head.path, exception_text(error));
        return json_error(500, "internal_error", "Something went wrong on our side.");
    };
    if (route->deferred) {
        // The sink is shared with the catch: a handler that threw has not answered (they
        // answer last), so the 500 is the only answer.
        auto sink = std::make_shared<ReplySink>(std::move(answer));
        try {
            route->deferred(exchange->view(), [sink](HttpReply made) { (*sink)(std::move(made)); });
        } catch (...) {
            (*sink)(fail(std::current_exception()));
        }
        return;
    }
    m_pool->enqueue([exchange, route, answer = std::move(answer), fail]() mutable {
        HttpReply made;
        try {
            made = route->blocking(exchange->view());
        } catch (...) {
            made = fail(std::current_exception());
        }
        answer(std::move(made));
    });
}

} // namespace pheu::handlers
