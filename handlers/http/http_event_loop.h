#pragma once
// One thread serving many HTTP/1.1 connections with epoll: reads requests, hands each
// complete one to the server's dispatcher, and writes the reply whenever it comes, from any
// thread. A connection has at most one request in flight; pipelined bytes wait in its
// buffer.
//
// Why not cpp-httplib's thread per connection: a webhook's answer waits for the inbox's
// group commit, so a thread per connection slept and woke once per request, and 64 threads
// took turns on two cores with cold caches. Here a loop reads every ready connection, the
// inbox commits them together, and the replies of one commit go out in one pass. Slow or
// idle connections cost a buffer, not a thread, so slow-loris clients cannot exhaust it.
#include "handlers/http/http_exchange.h"
#include "handlers/http/http_request_head.h"
#include "handlers/http/reading_connections.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace pheu::handlers {

struct LoopLimits {
    std::size_t max_body_bytes = 1048576;
    std::chrono::seconds keep_alive{5}; // an idle connection is closed after this
    // A request's head and body must arrive within this of its first byte, however slowly
    // they trickle: a deadline that restarted with every byte let a header sent a byte every
    // few seconds hold its connection for ever.
    std::chrono::seconds request_timeout{10};
    std::chrono::seconds write_timeout{5}; // and a reader that stops taking its answer
    std::size_t max_requests_per_connection = 100000;
    std::size_t max_connections = 20000; // per loop; beyond, new connections are closed
    ReadingLimits reading;               // per loop: connections waiting for a request
};

// A complete request as the dispatcher receives it.
struct IncomingRequest {
    RequestHead head;
    std::string body;
    std::string remote_address;
    std::chrono::steady_clock::time_point started; // when its last byte was read
};

class HttpEventLoop {
public:
    // `dispatch` runs on the loop thread for every complete request; it must not block, and
    // must call the sink exactly once (at once or later, from any thread). `refuse` builds
    // the JSON answer for requests refused before dispatch (400, 411, 413, 414, 431).
    using Dispatch = std::function<void(IncomingRequest request, ReplySink reply)>;
    using Refusal = std::function<HttpReply(int status, const std::string& method, const std::string& path)>;

    HttpEventLoop(int listen_fd, LoopLimits limits, Dispatch dispatch, Refusal refuse);
    ~HttpEventLoop();
    HttpEventLoop(const HttpEventLoop&) = delete;
    HttpEventLoop& operator=(const HttpEventLoop&) = delete;

    void start();
    // Stops accepting, closes idle connections, lets requests in flight be answered (up to
    // `grace`), then closes the rest. Returns at once; wait() returns once the thread ended.
    // (Two steps, so the server stops all its loops at the same time.)
    void request_stop(std::chrono::milliseconds grace);
    void wait();

private:
    struct Connection;
    struct Completion {
        std::uint64_t connection_id;
        HttpReply reply;
    };
    struct Mailbox;

    void run();
    void accept_connections();
    void watch_listener();
    void pause_accepting(int error);
    void on_readable(Connection& connection);
    void drain_lingering(Connection& connection);
    void on_writable(Connection& connection);
    void process_input(Connection& connection);
    void refuse(Connection& connection, const RequestHead& head, int status, bool keep_connection);
    void send_reply(Connection& connection, const HttpReply& reply);
    void flush(Connection& connection);
    void after_reply_written(Connection& connection);
    void close_connection(Connection& connection);
    void start_reading(Connection& connection);
    void stop_reading(Connection& connection);
    void take_completions();
    void apply_completion(Completion& completion);
    void expire_connections(std::chrono::steady_clock::time_point now);
    bool finished_stopping() const;

    const int m_listen_fd;
    const LoopLimits m_limits;
    Dispatch m_dispatch;
    Refusal m_refuse;
    int m_epoll_fd = -1;
    // Where other threads leave replies; shared with the sinks handed out (see the .cpp).
    std::shared_ptr<Mailbox> m_mailbox;
    std::thread m_thread;

    // Loop thread only.
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> m_connections;
    std::uint64_t m_next_id = 1;
    ReadingConnections m_reading;
    std::vector<Completion> m_ready; // completions made on the loop thread itself
    // Every recv lands here first and only what arrived is appended to the connection's
    // input: growing the input by a whole chunk before each recv zero-filled 32 KiB per
    // webhook (one recv with data, one finding none), a sixth of the loop's instructions.
    std::unique_ptr<char[]> m_read_buffer;
    bool m_draining = false;
    bool m_accept_paused = false; // out of descriptors: the listener is unwatched until the next tick
    std::chrono::steady_clock::time_point m_drain_deadline;
};

// The status line's reason phrase.
const char* reason_phrase(int status);

} // namespace pheu::handlers
