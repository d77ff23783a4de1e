// The HTTP layer itself, spoken to over raw sockets: what cpp-httplib's client would smooth
// over (pipelining, HEAD, 100-continue, refused framings, clients that go away).
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace pheu::testing;
using nlohmann::json;

namespace {

// A plain TCP connection to the test server.
class RawConnection {
public:
    explicit RawConnection(std::uint16_t port) : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    }
    ~RawConnection() { ::close(m_fd); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    void send(const std::string& bytes) const {
        REQUIRE(::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
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
    const std::string body = json{{"app_id", "app-1"},
                                  {"sender", {{"id", "8958041078911298472"}}},
                                  {"recipient", {{"id", "oa-1"}}},
                                  {"event_name", "user_send_text"},
                                  {"message", {{"text", "Chào shop"}, {"msg_id", msg_id}}},
                                  {"timestamp", "1795428900000"}}
                                 .dump();
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
        connection.send("POST /api/v1/events HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        CHECK(connection.read_until("}").find("HTTP/1.1 411") == 0);
        CHECK(connection.closed_by_server());
    }
    SECTION("compressed") {
        RawConnection connection(server.port());
        connection.send("POST /webhooks/zalo HTTP/1.1\r\nHost: t\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}");
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
