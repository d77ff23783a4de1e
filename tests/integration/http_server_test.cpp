// The HTTP layer itself, spoken to over raw sockets: what cpp-httplib's client would smooth
// over (pipelining, HEAD, 100-continue, refused framings, clients that go away).
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace pheu::testing;
using nlohmann::json;

namespace {

// A plain TCP connection to the test server.
class RawConnection {
public:
    explicit RawConnection(std::uint16_t port) : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) { REQUIRE(try_connect(port)); }
    // From another loopback address (127.0.0.0/8 is all local): another peer to the server.
    RawConnection(std::uint16_t port, const char* source) : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        REQUIRE(::inet_pton(AF_INET, source, &address.sin_addr) == 1);
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(try_connect(port));
    }
    // Only the socket: `try_connect` later (when there may be no descriptor left to make one).
    struct Unconnected {};
    explicit RawConnection(Unconnected) : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) { REQUIRE(m_fd >= 0); }
    ~RawConnection() { ::close(m_fd); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool try_connect(std::uint16_t port) const {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }

    void send(const std::string& bytes) const { REQUIRE(try_send(bytes)); }
    bool try_send(const std::string& bytes) const {
        return ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
    }

    // Reads until `text` has arrived `count` times, the peer closes, or 5 s pass.
    std::string read_until(const std::string& text, int count = 1) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (occurrences(text) < count && !m_closed && std::chrono::steady_clock::now() < deadline) {
            pollfd ready{m_fd, POLLIN, 0};
            if (::poll(&ready, 1, 100) <= 0) {
                continue;
            }
            char buffer[4096];
            const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (got <= 0) {
                m_closed = true;
            } else {
                m_received.append(buffer, static_cast<std::size_t>(got));
            }
        }
        return m_received;
    }

    // True once the server has closed the connection (waits up to 5 s).
    bool closed_by_server() {
        read_until("\x01never\x01");
        return m_closed;
    }

    // Whether the server has closed it by now, without waiting.
    bool closed_now() {
        char byte = 0;
        const ssize_t got = ::recv(m_fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
        return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }

private:
    int occurrences(const std::string& text) const {
        int found = 0;
        for (auto at = m_received.find(text); at != std::string::npos; at = m_received.find(text, at + 1)) {
            ++found;
        }
        return found;
    }

    int m_fd;
    std::string m_received;
    bool m_closed = false;
};

std::string signed_zalo_request(const std::string& msg_id, const std::string& extra_headers = "") {
    const std::string body = json{
        {"app_id", "app-1"},
        {"sender", {{"id", "8958041078911298472"}}},
        {"recipient", {{"id", "oa-1"}}},
        {"event_name", "user_send_text"},
        {"message", {{"text", "Chào shop"}, {"msg_id", msg_id}}},
        {"timestamp",
         "1795428900000"}}.dump();
    return "POST /webhooks/zalo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
           "X-ZEvent-Signature: " +
           zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-1") + "\r\n" + extra_headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

} // namespace

TEST_CASE("pipelined requests on one connection are answered in order", "[integration][http]") {
    TestServer server;
    RawConnection connection(server.port());
    connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n" + signed_zalo_request("pipe-1") +
                    "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n");
    const std::string received = connection.read_until("HTTP/1.1 ", 3);
    const auto first = received.find("HTTP/1.1 200");
    const auto second = received.find("HTTP/1.1 200", first + 1);
    const auto third = received.find("HTTP/1.1 404");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    REQUIRE(third != std::string::npos);
    CHECK(first < second);
    CHECK(second < third);
    CHECK(received.find("\"not_found\"") > third);
    CHECK(server.inbox_total() == 1);
}

TEST_CASE("HEAD answers the headers of GET without the body", "[integration][http]") {
    TestServer server;
    RawConnection connection(server.port());
    connection.send("HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    const std::string received = connection.read_until("{\"status\":\"ok\"}");
    // The body appears once: after the GET's head, not after the HEAD's.
    CHECK(received.find("{\"status\":\"ok\"}") > received.find("HTTP/1.1 200", 1));
    CHECK(received.find("Content-Length: 15") < received.find("HTTP/1.1 200", 1));
}

TEST_CASE("a client that expects 100-continue gets it, then the answer", "[integration][http]") {
    TestServer server;
    RawConnection connection(server.port());
    const std::string request = signed_zalo_request("continue-1", "Expect: 100-continue\r\n");
    const auto head_end = request.find("\r\n\r\n") + 4;
    connection.send(request.substr(0, head_end));
    CHECK(connection.read_until("100 Continue").find("HTTP/1.1 100 Continue\r\n\r\n") == 0);
    connection.send(request.substr(head_end));
    CHECK(connection.read_until("HTTP/1.1 200").find("HTTP/1.1 200") != std::string::npos);
    CHECK(server.inbox_total() == 1);
}

TEST_CASE("bodies the server does not read are refused with a JSON error and the connection closed",
          "[integration][http]") {
    TestServer server;
    SECTION("chunked") {
        RawConnection connection(server.port());
        connection.send(
            "POST /api/v1/events HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        CHECK(connection.read_until("}").find("HTTP/1.1 411") == 0);
        CHECK(connection.closed_by_server());
    }
    SECTION("compressed") {
        RawConnection connection(server.port());
        connection.send(
            "POST /webhooks/zalo HTTP/1.1\r\nHost: t\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}");
        CHECK(connection.read_until("}").find("\"unsupported_encoding\"") != std::string::npos);
        CHECK(connection.closed_by_server());
    }
    SECTION("a declared 10 MB body, answered before any of it is sent") {
        RawConnection connection(server.port());
        connection.send("POST /webhooks/zalo HTTP/1.1\r\nHost: t\r\nContent-Length: 10485760\r\n\r\n");
        CHECK(connection.read_until("}").find("HTTP/1.1 413") == 0);
        CHECK(connection.closed_by_server());
    }
    SECTION("not HTTP at all") {
        RawConnection connection(server.port());
        connection.send("\x16\x03\x01\x02\x01\x01\x02\x01\xfc\x03\x03\r\n\r\n"); // a TLS hello
        CHECK(connection.read_until("}").find("HTTP/1.1 400") == 0);
        CHECK(connection.closed_by_server());
    }
    CHECK(server.inbox_total() == 0);
    CHECK(server.client().Get("/healthz")->status == 200);
}

TEST_CASE("a client that sends the whole oversized body before reading still gets its 413", "[integration][http]") {
    // Most HTTP clients (Python's, Node's) write the body in full and only then read. Closing
    // with the body unread makes the kernel reset the connection, and the reset destroys the
    // 413 still waiting in the client's receive buffer: the client sees "connection reset".
    TestServer server;
    const std::string body(256 * 64 * 1024, 'x'); // 16 MiB: more than loopback buffers hold
    const std::string request =
        "POST /webhooks/zalo HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    for (int attempt = 0; attempt < 10; ++attempt) {
        RawConnection connection(server.port());
        const bool sent = connection.try_send(request + body);
        CHECK(sent);
        CHECK(connection.read_until("}").find("HTTP/1.1 413") == 0);
        CHECK(connection.closed_by_server());
    }
}

TEST_CASE("Connection: close is honoured after the answer", "[integration][http]") {
    TestServer server;
    RawConnection connection(server.port());
    connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    CHECK(connection.read_until("}").find("Connection: close") != std::string::npos);
    CHECK(connection.closed_by_server());
}

TEST_CASE("an event whose sender hangs up before the answer is still stored, once", "[integration][http]") {
    TestServer server;
    for (int i = 0; i < 20; ++i) {
        RawConnection connection(server.port());
        connection.send(signed_zalo_request("gone-" + std::to_string(i)));
    } // closed at once, before any answer could come
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (server.inbox_total() < 20 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(server.inbox_total() == 20);
    CHECK(server.client().Get("/healthz")->status == 200);
}

TEST_CASE("hundreds of idle and half-sent connections do not delay a webhook", "[integration][http]") {
    TestServer server;
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 300; ++i) {
        idle.push_back(std::make_unique<RawConnection>(server.port()));
        if (i % 2 == 0) {
            idle.back()->send("POST /webhooks/zalo HTTP/1.1\r\nHost: t\r\nContent-Le"); // and never more
        }
    }
    // read_until gives up after 5 s, the read timeout the half-sent ones are closed at: an
    // answer means nothing queued behind them.
    RawConnection connection(server.port());
    connection.send(signed_zalo_request("behind-idle"));
    CHECK(connection.read_until("HTTP/1.1 200").find("HTTP/1.1 200") == 0);
    CHECK(server.inbox_total() == 1);
}

TEST_CASE("a request trickled a byte at a time is closed at its deadline, not kept by each byte",
          "[integration][http]") {
    TestServer server([](pheu::bot::Config& config) { config.request_timeout_seconds = 2; });
    RawConnection loris(server.port());
    loris.send("POST /webhooks/zalo HTTP/1.1\r\nHost: t\r\n");
    const auto start = std::chrono::steady_clock::now();
    bool closed = false;
    while (!closed && std::chrono::steady_clock::now() - start < std::chrono::seconds(6)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        closed = loris.closed_now() || !loris.try_send("X");
    }
    CHECK(closed);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
}

TEST_CASE("a flood of waiting connections from one address costs that address, not a webhook", "[integration][http]") {
    TestServer server; // 64 waiting connections per address
    std::vector<std::unique_ptr<RawConnection>> flood;
    for (int i = 0; i < 200; ++i) {
        flood.push_back(std::make_unique<RawConnection>(server.port(), "127.0.0.2"));
        flood.back()->send("POST /webhooks/zalo HTTP/1.1\r\nHost: t\r\nX-Slow: ");
    }
    RawConnection platform(server.port()); // from 127.0.0.1
    platform.send(signed_zalo_request("beside-flood"));
    CHECK(platform.read_until("HTTP/1.1 200").find("HTTP/1.1 200") == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    int still_open = 0;
    for (const auto& connection : flood) {
        still_open += connection->closed_now() ? 0 : 1;
    }
    CHECK(still_open <= 64);
    CHECK(still_open >= 32); // the newest of them are still being waited for
}

namespace {

// CPU time the server's HTTP loop threads use, in clock ticks (1/100 s). Their stat files
// are opened up front and read again with pread: the test itself cannot open files while the
// process is out of descriptors.
class LoopCpuMeter {
public:
    LoopCpuMeter() {
        for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
            std::ifstream comm(task.path() / "comm");
            std::string name;
            std::getline(comm, name);
            if (name == "http-loop") {
                m_stat_fds.push_back(::open((task.path() / "stat").c_str(), O_RDONLY | O_CLOEXEC));
            }
        }
        REQUIRE(!m_stat_fds.empty());
    }
    ~LoopCpuMeter() {
        for (const int fd : m_stat_fds) {
            ::close(fd);
        }
    }
    LoopCpuMeter(const LoopCpuMeter&) = delete;
    LoopCpuMeter& operator=(const LoopCpuMeter&) = delete;

    // -1 when a file cannot be read. Uses no Catch2 assertion: it runs while the process is
    // out of descriptors, where UBSan's checks of Catch2's expression objects fail.
    long ticks() const {
        long ticks = 0;
        for (const int fd : m_stat_fds) {
            char buffer[1024];
            const ssize_t got = ::pread(fd, buffer, sizeof buffer - 1, 0);
            if (got <= 0) {
                return -1;
            }
            buffer[got] = '\0';
            // After the parenthesised name come the state, then 10 fields, then utime and stime.
            char* field = std::strrchr(buffer, ')');
            for (int skipped = 0; field != nullptr && skipped < 12; ++skipped) {
                field = std::strchr(field + 1, ' ');
            }
            if (field == nullptr) {
                return -1;
            }
            char* end = nullptr;
            ticks += std::strtol(field + 1, &end, 10);
            ticks += std::strtol(end, nullptr, 10);
        }
        return ticks;
    }

private:
    std::vector<int> m_stat_fds;
};

// The lowest descriptor number not in use: with the limit there, nothing more can be opened.
rlim_t lowest_free_descriptor() {
    const int probe = ::dup(0);
    REQUIRE(probe >= 0);
    ::close(probe);
    return static_cast<rlim_t>(probe);
}

// Puts the descriptor limit back however the test ends: later tests need it.
class LimitRestorer {
public:
    LimitRestorer() { REQUIRE(::getrlimit(RLIMIT_NOFILE, &m_saved) == 0); }
    ~LimitRestorer() { restore(); }
    LimitRestorer(const LimitRestorer&) = delete;
    LimitRestorer& operator=(const LimitRestorer&) = delete;
    void restore() const { ::setrlimit(RLIMIT_NOFILE, &m_saved); }
    const rlimit& saved() const { return m_saved; }

private:
    rlimit m_saved{};
};

} // namespace

// Waits (up to 2 s) until every thread the server started has run its first instructions,
// which name it: a thread first running while the process is out of descriptors trips
// UBSan's check of its std::thread state, because UBSan needs a pipe to read memory safely.
// A thread not yet started still bears the test process's name.
// Until every thread the server starts has started and named itself, and none more came for
// half a second (some start on first use, later on PostgreSQL, whose start-up takes longer):
// a thread started while descriptors are exhausted cannot even be checked by the sanitizer.
static void wait_for_threads_to_start() {
    std::string process_name;
    std::getline(std::ifstream("/proc/self/comm"), process_name);
    int stable_passes = 0;
    std::size_t last_count = 0;
    for (int i = 0; i < 250 && stable_passes < 25; ++i) {
        int unnamed = 0;
        std::size_t count = 0;
        for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
            std::string name;
            std::getline(std::ifstream(task.path() / "comm"), name);
            unnamed += name == process_name ? 1 : 0;
            ++count;
        }
        stable_passes = unnamed <= 1 && count == last_count ? stable_passes + 1 : 0;
        last_count = count;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

TEST_CASE("out of descriptors, the server keeps serving its connections and accepts again after",
          "[integration][http]") {
    TestServer server;
    wait_for_threads_to_start();
    RawConnection open_before(server.port());
    open_before.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    REQUIRE(open_before.read_until("{\"status\":\"ok\"}").find("HTTP/1.1 200") == 0);
    RawConnection arriving{RawConnection::Unconnected{}}; // made now: later there is no room
    const LoopCpuMeter loop_cpu;

    LimitRestorer limit;
    rlimit exhausted = limit.saved();
    exhausted.rlim_cur = lowest_free_descriptor();
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";

    // No Catch2 assertion until the limit is back (see LoopCpuMeter::ticks).
    const bool lowered = ::setrlimit(RLIMIT_NOFILE, &exhausted) == 0;
    // The kernel completes the handshake; the server's accept fails with EMFILE.
    const bool connected = arriving.try_connect(server.port());
    const bool sent = arriving.try_send(request);
    const long ticks_before = loop_cpu.ticks();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const long ticks_after = loop_cpu.ticks();
    const bool sent_on_open = open_before.try_send(request);
    const std::string served = open_before.read_until("{\"status\":\"ok\"}", 2);
    limit.restore();

    REQUIRE(lowered);
    REQUIRE(connected);
    REQUIRE(sent);
    REQUIRE(sent_on_open);
    REQUIRE(ticks_before >= 0);
    REQUIRE(ticks_after >= 0);
    // A loop woken by the waiting connection on every pass would use most of that second.
    CHECK(ticks_after - ticks_before < 20);
    // The connection open before goes on being served.
    CHECK(served.find("HTTP/1.1 200", 1) != std::string::npos);
    // With descriptors back, the connection that waited in the queue is accepted and answered.
    CHECK(arriving.read_until("{\"status\":\"ok\"}").find("HTTP/1.1 200") == 0);
}
