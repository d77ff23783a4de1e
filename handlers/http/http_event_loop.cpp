#include "handlers/http/http_event_loop.h"

#include "common/thread_name.h"

#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace pheu::handlers {

namespace {

using Clock = std::chrono::steady_clock;

// How often deadlines are checked: a timeout fires up to this much late.
constexpr auto k_tick = std::chrono::milliseconds(200);
// Bytes of a following request read ahead while one is answered; past this, reading waits.
constexpr std::size_t k_read_ahead = 64 * 1024;
constexpr std::size_t k_read_chunk = 16 * 1024;
// Connections accepted before the loop turns to the ones it has. The listening socket is
// level-triggered, so what is left is reported again on the next pass. Without a bound, four
// clients reconnecting as fast as they were refused (2 MB bodies, answered 413) kept the
// accept queue from ever emptying, and keep-alive webhooks on open connections waited 1-2 s.
constexpr int k_max_accepts_per_pass = 32;
// How long a connection closed by the server goes on being read (and the bytes dropped) after
// its last answer. Most clients send a request's whole body before reading the answer; closing
// with their bytes unread would reset the connection, and a reset destroys the answer (a 413
// to a 16 MB upload) before the client reads it. Bounded so a client that never stops sending
// holds its slot for no longer than this.
constexpr auto k_linger = std::chrono::seconds(2);
// The listening socket and the wake-up eventfd carry these instead of a connection id.
constexpr std::uint64_t k_listen_tag = 0;
constexpr std::uint64_t k_wake_tag = ~std::uint64_t{0};

std::string address_text(const sockaddr_storage& address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text, sizeof text);
    } else if (address.ss_family == AF_INET6) {
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text, sizeof text);
    }
    return text;
}

} // namespace

struct HttpEventLoop::Connection {
    enum class State {
        reading,   // waiting for (the rest of) a request
        handling,  // a request is with the dispatcher
        writing,   // its reply is being sent
        lingering, // answered and half-closed: what the client still sends is read and dropped
    };

    int fd = -1;
    std::uint64_t id = 0;
    std::string remote_address;
    std::string peer; // peer_key(remote_address): what the reading caps count by
    State state = State::reading;
    std::string input;
    std::string output;
    std::size_t output_sent = 0;
    std::size_t discard_remaining = 0; // body bytes of a refused request still to skip
    bool sent_continue = false;        // "100 Continue" already sent for this request
    bool close_after_reply = false;
    bool peer_closed = false;
    bool read_paused = false;   // stopped reading at the cap; resumed after the reply
    bool head_request = false;  // the request in hand is a HEAD: the reply goes without body
    bool request_begun = false; // a byte of the next request has arrived: its deadline runs
    std::size_t served = 0;
    Clock::time_point deadline; // for reading and writing; none while handling
};

// Where other threads leave replies for a loop, and its stop request. Every reply sink holds
// it, so a sink called after its loop has ended (an answer that outlived a stop's grace
// period) drops the reply instead of touching a destroyed loop.
struct HttpEventLoop::Mailbox {
    std::mutex mutex;
    std::vector<Completion> completed;
    bool open = true; // false once the loop has ended
    bool stop_requested = false;
    std::chrono::milliseconds grace{0};
    int wake_fd = -1;

    Mailbox() : wake_fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
    ~Mailbox() {
        if (wake_fd >= 0) {
            ::close(wake_fd);
        }
    }
    Mailbox(const Mailbox&) = delete;
    Mailbox& operator=(const Mailbox&) = delete;

    void wake() const {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(wake_fd, &one, sizeof one);
    }

    void post(std::uint64_t connection_id, HttpReply reply) {
        bool was_empty = false;
        {
            std::lock_guard lock(mutex);
            if (!open) {
                return;
            }
            was_empty = completed.empty();
            completed.push_back(Completion{connection_id, std::move(reply)});
        }
        // One wake-up for all the replies of a commit: only the first of them writes.
        if (was_empty) {
            wake();
        }
    }
};

const char* reason_phrase(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return status < 300 ? "OK" : status < 400 ? "Redirection" : status < 500 ? "Client Error" : "Server Error";
    }
}

HttpEventLoop::HttpEventLoop(int listen_fd, LoopLimits limits, Dispatch dispatch, Refusal refuse)
    : m_listen_fd(listen_fd), m_limits(limits), m_dispatch(std::move(dispatch)), m_refuse(std::move(refuse)),
      m_reading(limits.reading), m_read_buffer(std::make_unique_for_overwrite<char[]>(k_read_chunk)) {
    m_epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
    m_mailbox = std::make_shared<Mailbox>();
    if (m_epoll_fd < 0 || m_mailbox->wake_fd < 0) {
        throw std::runtime_error(std::string("http: cannot create an event loop: ") + std::strerror(errno));
    }
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.u64 = k_wake_tag;
    ::epoll_ctl(m_epoll_fd, EPOLL_CTL_ADD, m_mailbox->wake_fd, &wake);
    watch_listener();
}

void HttpEventLoop::watch_listener() {
    // Every loop waits on the one listening socket; EPOLLEXCLUSIVE wakes one of them per
    // connection instead of all.
    epoll_event listen{};
    listen.events = EPOLLIN | EPOLLEXCLUSIVE;
    listen.data.u64 = k_listen_tag;
    ::epoll_ctl(m_epoll_fd, EPOLL_CTL_ADD, m_listen_fd, &listen);
}

void HttpEventLoop::pause_accepting(int error) {
    // The listening socket is level-triggered: while the process has no descriptor left,
    // every pass would be woken at once by the same waiting connection and fail again,
    // spinning a core and writing this warning thousands of times a second. Stop watching
    // it until the next tick; the connections already open go on being served.
    ::epoll_ctl(m_epoll_fd, EPOLL_CTL_DEL, m_listen_fd, nullptr);
    m_accept_paused = true;
    spdlog::warn("http: cannot accept a connection ({}); not accepting for up to {} ms", std::strerror(error),
                 std::chrono::duration_cast<std::chrono::milliseconds>(k_tick).count());
}

HttpEventLoop::~HttpEventLoop() {
    request_stop(std::chrono::milliseconds(0));
    wait();
    for (auto& [id, connection] : m_connections) {
        ::close(connection->fd);
    }
    ::close(m_epoll_fd);
}

void HttpEventLoop::start() {
    m_thread = std::thread([this] {
        common::name_this_thread("http-loop");
        run();
    });
}

void HttpEventLoop::request_stop(std::chrono::milliseconds grace) {
    {
        std::lock_guard lock(m_mailbox->mutex);
        if (m_mailbox->stop_requested) {
            return;
        }
        m_mailbox->stop_requested = true;
        m_mailbox->grace = grace;
    }
    m_mailbox->wake();
}

void HttpEventLoop::wait() {
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void HttpEventLoop::run() {
    std::array<epoll_event, 256> events{};
    auto next_tick = Clock::now() + k_tick;
    for (;;) {
        const auto wait_ms =
            std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - Clock::now()).count());
        const int count = ::epoll_wait(m_epoll_fd, events.data(), static_cast<int>(events.size()),
                                       m_ready.empty() ? static_cast<int>(wait_ms) : 0);
        for (int i = 0; i < count; ++i) {
            const std::uint64_t tag = events[static_cast<std::size_t>(i)].data.u64;
            const std::uint32_t flags = events[static_cast<std::size_t>(i)].events;
            if (tag == k_listen_tag) {
                accept_connections();
                continue;
            }
            if (tag == k_wake_tag) {
                take_completions();
                continue;
            }
            auto found = m_connections.find(tag);
            if (found == m_connections.end()) {
                continue; // closed earlier in this pass
            }
            Connection& connection = *found->second;
            if (flags & (EPOLLERR | EPOLLHUP)) {
                close_connection(connection);
                continue;
            }
            if (flags & EPOLLOUT) {
                on_writable(connection);
            }
            if ((flags & (EPOLLIN | EPOLLRDHUP)) && m_connections.count(tag) != 0) {
                on_readable(connection);
            }
        }
        // Replies made on this thread, by dispatch itself, are sent here rather than from
        // inside dispatch, so a reply never re-enters the request handling that made it.
        while (!m_ready.empty()) {
            std::vector<Completion> ready;
            ready.swap(m_ready);
            for (Completion& completion : ready) {
                apply_completion(completion);
            }
        }
        const auto now = Clock::now();
        if (now >= next_tick) {
            expire_connections(now);
            if (m_accept_paused && !m_draining) {
                watch_listener(); // what is still queued is reported again at once
            }
            m_accept_paused = false;
            next_tick = now + k_tick;
        }
        if (finished_stopping()) {
            std::lock_guard lock(m_mailbox->mutex);
            m_mailbox->open = false;
            m_mailbox->completed.clear();
            return;
        }
    }
}

void HttpEventLoop::accept_connections() {
    for (int accepted = 0; accepted < k_max_accepts_per_pass; ++accepted) {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        const int fd =
            ::accept4(m_listen_fd, reinterpret_cast<sockaddr*>(&address), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                pause_accepting(errno); // the rest stay queued
            } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                spdlog::warn("http: cannot accept a connection: {}", std::strerror(errno));
            }
            return;
        }
        if (m_draining || m_connections.size() >= m_limits.max_connections) {
            if (!m_draining) {
                spdlog::warn("http: {} connections open on one loop; refusing more", m_connections.size());
            }
            ::close(fd);
            continue;
        }
        int yes = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        auto connection = std::make_unique<Connection>();
        connection->fd = fd;
        connection->id = m_next_id++;
        connection->remote_address = address_text(address);
        connection->peer = peer_key(connection->remote_address);
        if (const auto victim = m_reading.victim_for(connection->peer)) {
            // A cap on waiting connections is reached: the newcomer gets in and an old waiter
            // of the same (or the busiest) peer makes room (see reading_connections.h).
            close_connection(*m_connections.at(*victim));
        }
        connection->deadline = Clock::now() + m_limits.keep_alive;
        epoll_event interest{};
        // Edge-triggered: told once per arrival, so a connection whose request is being
        // handled does not wake the loop again and again while its bytes wait.
        interest.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        interest.data.u64 = connection->id;
        if (::epoll_ctl(m_epoll_fd, EPOLL_CTL_ADD, fd, &interest) != 0) {
            ::close(fd);
            continue;
        }
        Connection& added = *connection;
        m_connections.emplace(added.id, std::move(connection));
        start_reading(added);
        on_readable(added); // bytes may have arrived with the connection
    }
}

void HttpEventLoop::on_readable(Connection& connection) {
    if (connection.state == Connection::State::lingering) {
        return drain_lingering(connection);
    }
    const std::uint64_t id = connection.id;
    bool received = false;
    for (;;) {
        // While a request is handled only a little of the next is read ahead; while one is
        // read, no more than the largest request allowed (anything longer is refused).
        const std::size_t cap = connection.state == Connection::State::reading
                                    ? k_max_request_head + m_limits.max_body_bytes + k_read_chunk
                                    : k_read_ahead;
        if (connection.input.size() >= cap) {
            connection.read_paused = true;
            break;
        }
        const ssize_t count = ::recv(connection.fd, m_read_buffer.get(), k_read_chunk, 0);
        if (count > 0) {
            connection.input.append(m_read_buffer.get(), static_cast<std::size_t>(count));
            received = true;
            if (connection.discard_remaining > 0) {
                const std::size_t skipped = std::min(connection.discard_remaining, connection.input.size());
                connection.input.erase(0, skipped);
                connection.discard_remaining -= skipped;
            }
            continue;
        }
        if (count == 0) {
            connection.peer_closed = true;
            break;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            close_connection(connection);
            return;
        }
        break;
    }
    if (received && connection.state == Connection::State::reading && !connection.request_begun) {
        connection.request_begun = true; // one deadline for the whole request, not one per byte
        connection.deadline = Clock::now() + m_limits.request_timeout;
    }
    if (connection.state == Connection::State::reading) {
        process_input(connection);
    }
    // A peer that closed with nothing left to answer is done; one that closed after sending
    // a request still gets the answer written (it may have shut only its sending side).
    auto found = m_connections.find(id);
    if (found != m_connections.end() && connection.peer_closed && connection.state == Connection::State::reading) {
        close_connection(connection);
    }
}

void HttpEventLoop::process_input(Connection& connection) {
    if (connection.discard_remaining > 0 || connection.input.empty()) {
        return;
    }
    HeadParse parsed = parse_request_head(connection.input);
    switch (parsed.status) {
    case HeadStatus::incomplete:
        return;
    case HeadStatus::bad_request:
        return refuse(connection, parsed.head, 400, false);
    case HeadStatus::uri_too_long:
        return refuse(connection, parsed.head, 414, false);
    case HeadStatus::too_large:
        return refuse(connection, parsed.head, 431, false);
    case HeadStatus::complete:
        break;
    }
    RequestHead& head = parsed.head;
    const BodyFraming framing = body_framing(head);
    if (framing.kind == BodyFraming::Kind::invalid) {
        return refuse(connection, head, 400, false);
    }
    if (framing.kind == BodyFraming::Kind::chunked) {
        return refuse(connection, head, 411, false);
    }
    const std::size_t length = framing.kind == BodyFraming::Kind::length ? framing.length : 0;
    if (framing.length_overflows || length > m_limits.max_body_bytes) {
        // Refused before the body is read. A body somewhat over the limit is skipped and the
        // connection kept; a much larger one is not worth reading at all.
        const bool skip_body =
            !framing.length_overflows && length < 2 * m_limits.max_body_bytes && head.header("Expect").empty();
        if (skip_body) {
            connection.input.erase(0, parsed.head_length);
            const std::size_t skipped = std::min(length, connection.input.size());
            connection.input.erase(0, skipped);
            connection.discard_remaining = length - skipped;
        }
        return refuse(connection, head, 413, skip_body);
    }
    const std::string encoding = head.header("Content-Encoding");
    if (!encoding.empty() && encoding != "identity") {
        return refuse(connection, head, 415, false);
    }
    const std::size_t total = parsed.head_length + length;
    if (connection.input.size() < total) {
        if (!connection.sent_continue && !head.header("Expect").empty()) {
            connection.sent_continue = true;
            static constexpr std::string_view k_continue = "HTTP/1.1 100 Continue\r\n\r\n";
            // Small enough for any send buffer; a failure shows up on the next read.
            [[maybe_unused]] const auto sent =
                ::send(connection.fd, k_continue.data(), k_continue.size(), MSG_NOSIGNAL);
        }
        return; // the rest of the body is on its way
    }
    IncomingRequest request;
    request.body = connection.input.substr(parsed.head_length, length);
    connection.input.erase(0, total);
    request.head = std::move(head);
    request.remote_address = connection.remote_address;
    request.started = Clock::now();
    connection.sent_continue = false;
    connection.head_request = request.head.method == "HEAD";
    connection.state = Connection::State::handling;
    stop_reading(connection);
    if (!wants_keep_alive(request.head) || connection.served + 1 >= m_limits.max_requests_per_connection ||
        m_draining) {
        connection.close_after_reply = true;
    }
    const std::uint64_t id = connection.id;
    const std::thread::id loop_thread = std::this_thread::get_id();
    m_dispatch(std::move(request), [this, mailbox = m_mailbox, id, loop_thread](HttpReply reply) {
        if (std::this_thread::get_id() == loop_thread) {
            m_ready.push_back(Completion{id, std::move(reply)}); // the loop is running: it is us
        } else {
            mailbox->post(id, std::move(reply));
        }
    });
}

void HttpEventLoop::refuse(Connection& connection, const RequestHead& head, int status, bool keep_connection) {
    if (!keep_connection) {
        connection.close_after_reply = true;
        connection.input.clear();
    }
    connection.state = Connection::State::handling;
    stop_reading(connection);
    connection.head_request = head.method == "HEAD";
    send_reply(connection, m_refuse(status, head.method, head.path));
}

void HttpEventLoop::send_reply(Connection& connection, const HttpReply& reply) {
    std::string& out = connection.output;
    out.clear();
    out.reserve(160 + reply.body.size());
    out += "HTTP/1.1 ";
    out += std::to_string(reply.status);
    out += ' ';
    out += reason_phrase(reply.status);
    out += "\r\nContent-Type: ";
    out += reply.content_type;
    out += "\r\nContent-Length: ";
    out += std::to_string(reply.body.size());
    for (const auto& [name, value] : reply.headers) {
        out += "\r\n";
        out += name;
        out += ": ";
        out += value;
    }
    out += connection.close_after_reply ? "\r\nConnection: close\r\n\r\n" : "\r\nConnection: keep-alive\r\n\r\n";
    if (!connection.head_request) {
        out += reply.body;
    }
    connection.output_sent = 0;
    connection.state = Connection::State::writing;
    connection.deadline = Clock::now() + m_limits.write_timeout;
    flush(connection);
}

void HttpEventLoop::flush(Connection& connection) {
    while (connection.output_sent < connection.output.size()) {
        const ssize_t sent = ::send(connection.fd, connection.output.data() + connection.output_sent,
                                    connection.output.size() - connection.output_sent, MSG_NOSIGNAL);
        if (sent > 0) {
            connection.output_sent += static_cast<std::size_t>(sent);
            continue;
        }
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return; // EPOLLOUT tells when there is room again
        }
        close_connection(connection);
        return;
    }
    after_reply_written(connection);
}

void HttpEventLoop::on_writable(Connection& connection) {
    if (connection.state == Connection::State::writing) {
        flush(connection);
    }
}

void HttpEventLoop::after_reply_written(Connection& connection) {
    ++connection.served;
    connection.output.clear();
    connection.output.shrink_to_fit();
    if (connection.close_after_reply || connection.peer_closed) {
        // The FIN goes after the reply; the descriptor is closed once the client has stopped
        // sending (see k_linger).
        ::shutdown(connection.fd, SHUT_WR);
        if (connection.peer_closed || m_draining) {
            close_connection(connection);
            return;
        }
        connection.state = Connection::State::lingering;
        connection.input.clear();
        connection.input.shrink_to_fit();
        connection.discard_remaining = 0;
        connection.deadline = Clock::now() + k_linger;
        drain_lingering(connection);
        return;
    }
    connection.state = Connection::State::reading;
    start_reading(connection);
    connection.request_begun = !connection.input.empty();
    connection.deadline = Clock::now() + (connection.request_begun ? m_limits.request_timeout : m_limits.keep_alive);
    if (connection.read_paused) {
        connection.read_paused = false;
        on_readable(connection); // reads what waited, then handles the next request
        return;
    }
    process_input(connection);
}

void HttpEventLoop::drain_lingering(Connection& connection) {
    // A bounded share per wake-up, so a fast sender cannot hold the loop; each new arrival
    // wakes it again (edge-triggered).
    for (int chunk = 0; chunk < 64; ++chunk) {
        const ssize_t count = ::recv(connection.fd, m_read_buffer.get(), k_read_chunk, 0);
        if (count > 0) {
            continue;
        }
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return; // more may come; the deadline ends the wait
        }
        close_connection(connection); // the client closed, or the connection failed
        return;
    }
}

void HttpEventLoop::close_connection(Connection& connection) {
    ::close(connection.fd); // also removes it from the epoll set
    m_reading.stopped(connection.id);
    m_connections.erase(connection.id);
}

void HttpEventLoop::start_reading(Connection& connection) {
    m_reading.started(connection.id, connection.peer);
}

void HttpEventLoop::stop_reading(Connection& connection) {
    connection.request_begun = false;
    m_reading.stopped(connection.id);
}

void HttpEventLoop::take_completions() {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto read = ::read(m_mailbox->wake_fd, &count, sizeof count);
    std::vector<Completion> completed;
    {
        std::lock_guard lock(m_mailbox->mutex);
        completed.swap(m_mailbox->completed);
        if (m_mailbox->stop_requested && !m_draining) {
            m_draining = true;
            m_drain_deadline = Clock::now() + m_mailbox->grace;
        }
    }
    if (m_draining) {
        ::epoll_ctl(m_epoll_fd, EPOLL_CTL_DEL, m_listen_fd, nullptr);
        std::vector<std::uint64_t> idle;
        for (auto& [id, connection] : m_connections) {
            if (connection->state == Connection::State::reading || connection->state == Connection::State::lingering) {
                idle.push_back(id);
            } else {
                connection->close_after_reply = true;
            }
        }
        for (const std::uint64_t id : idle) {
            close_connection(*m_connections.at(id));
        }
    }
    for (Completion& completion : completed) {
        apply_completion(completion);
    }
}

void HttpEventLoop::apply_completion(Completion& completion) {
    auto found = m_connections.find(completion.connection_id);
    if (found == m_connections.end()) {
        return; // the client went away while its request was handled
    }
    Connection& connection = *found->second;
    if (connection.state != Connection::State::handling) {
        return;
    }
    if (m_draining) {
        connection.close_after_reply = true;
    }
    send_reply(connection, completion.reply);
}

void HttpEventLoop::expire_connections(Clock::time_point now) {
    std::vector<std::uint64_t> expired;
    for (const auto& [id, connection] : m_connections) {
        if (connection->state != Connection::State::handling && now >= connection->deadline) {
            expired.push_back(id);
        }
    }
    for (const std::uint64_t id : expired) {
        close_connection(*m_connections.at(id));
    }
}

bool HttpEventLoop::finished_stopping() const {
    if (!m_draining) {
        return false;
    }
    if (Clock::now() >= m_drain_deadline) {
        return true;
    }
    return m_connections.empty();
}

} // namespace pheu::handlers
