// The HTTP request head parser the event loop reads every request with.
#include "handlers/http/http_request_head.h"

#include <catch2/catch.hpp>

#include <string>

using namespace pheu::handlers;

TEST_CASE("a request head is read with its method, decoded path, query and headers", "[http]") {
    const std::string received = "POST /api/v1/customers/c%201?limit=10&cursor=a%2Fb HTTP/1.1\r\n"
                                 "Host: shop.example\r\n"
                                 "content-length: 2\r\n"
                                 "X-Note:   Chào shop  \r\n"
                                 "\r\n"
                                 "{}NEXT";
    const HeadParse parsed = parse_request_head(received);
    REQUIRE(parsed.status == HeadStatus::complete);
    CHECK(parsed.head_length == received.size() - 6);
    CHECK(parsed.head.method == "POST");
    CHECK(parsed.head.path == "/api/v1/customers/c 1");
    CHECK(parsed.head.query_string == "limit=10&cursor=a%2Fb");
    CHECK(parsed.head.minor_version == 1);
    CHECK(parsed.head.header("Content-Length") == "2");
    CHECK(parsed.head.header("x-note") == "Chào shop");
    CHECK(parsed.head.header("Absent").empty());
    const BodyFraming framing = body_framing(parsed.head);
    CHECK(framing.kind == BodyFraming::Kind::length);
    CHECK(framing.length == 2);
    CHECK(query_parameter(parsed.head.query_string, "cursor") == "a/b");
    CHECK(query_parameter(parsed.head.query_string, "limit") == "10");
    CHECK_FALSE(query_parameter(parsed.head.query_string, "stage").has_value());
}

TEST_CASE("a head is incomplete until its blank line arrives, whatever the split", "[http]") {
    const std::string whole = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
        CHECK(parse_request_head(whole.substr(0, cut)).status == HeadStatus::incomplete);
    }
    CHECK(parse_request_head(whole).status == HeadStatus::complete);
}

TEST_CASE("malformed heads are refused with the status that says why", "[http]") {
    CHECK(parse_request_head("GARBAGE\r\n\r\n").status == HeadStatus::bad_request);
    CHECK(parse_request_head("GET healthz HTTP/1.1\r\n\r\n").status == HeadStatus::bad_request);
    CHECK(parse_request_head("GET / HTTP/2.0\r\n\r\n").status == HeadStatus::bad_request);
    CHECK(parse_request_head("GET / HTTP/1.1\r\nNo colon here\r\n\r\n").status == HeadStatus::bad_request);
    CHECK(parse_request_head("GET / HTTP/1.1\r\n folded: value\r\n\r\n").status == HeadStatus::bad_request);
    CHECK(parse_request_head(std::string("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 27)).status == HeadStatus::bad_request);
    CHECK(parse_request_head("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n").status == HeadStatus::bad_request);
    CHECK(parse_request_head("GET /" + std::string(k_max_request_line, 'a') + " HTTP/1.1\r\n\r\n").status ==
          HeadStatus::uri_too_long);
    // A request line that never ends is refused as soon as it is too long, not when it ends.
    CHECK(parse_request_head("GET /" + std::string(k_max_request_line, 'a')).status == HeadStatus::uri_too_long);
    CHECK(parse_request_head("GET / HTTP/1.1\r\nX: " + std::string(k_max_request_head, 'a')).status ==
          HeadStatus::too_large);
}

TEST_CASE("body framing refuses the shapes request smuggling uses", "[http]") {
    auto framing_of = [](const std::string& headers) {
        const HeadParse parsed = parse_request_head("POST / HTTP/1.1\r\n" + headers + "\r\n");
        REQUIRE(parsed.status == HeadStatus::complete);
        return body_framing(parsed.head);
    };
    CHECK(framing_of("").kind == BodyFraming::Kind::none);
    CHECK(framing_of("Content-Length: 0\r\n").kind == BodyFraming::Kind::length);
    CHECK(framing_of("Content-Length: 5\r\nContent-Length: 5\r\n").length == 5);
    CHECK(framing_of("Content-Length: 5\r\nContent-Length: 6\r\n").kind == BodyFraming::Kind::invalid);
    CHECK(framing_of("Content-Length: -1\r\n").kind == BodyFraming::Kind::invalid);
    CHECK(framing_of("Content-Length: 1e3\r\n").kind == BodyFraming::Kind::invalid);
    CHECK(framing_of("Transfer-Encoding: chunked\r\n").kind == BodyFraming::Kind::chunked);
    CHECK(framing_of("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n").kind == BodyFraming::Kind::invalid);
    const BodyFraming huge = framing_of("Content-Length: 99999999999999999999999999999\r\n");
    CHECK(huge.kind == BodyFraming::Kind::length);
    CHECK(huge.length_overflows);
}

TEST_CASE("keep-alive follows the HTTP version and the Connection header", "[http]") {
    auto keeps = [](const std::string& head) { return wants_keep_alive(parse_request_head(head).head); };
    CHECK(keeps("GET / HTTP/1.1\r\n\r\n"));
    CHECK_FALSE(keeps("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
    CHECK_FALSE(keeps("GET / HTTP/1.0\r\n\r\n"));
    CHECK(keeps("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
}

TEST_CASE("percent decoding keeps invalid escapes and decodes plus only in queries", "[http]") {
    CHECK(percent_decode("a%20b+c", false) == "a b+c");
    CHECK(percent_decode("a%20b+c", true) == "a b c");
    CHECK(percent_decode("100%", true) == "100%");
    CHECK(percent_decode("%zz%4", true) == "%zz%4");
    CHECK(percent_decode("Nguy%E1%BB%85n", true) == "Nguyễn");
}
