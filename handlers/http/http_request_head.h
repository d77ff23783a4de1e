#pragma once
// Reading an HTTP/1.x request head (request line and headers) out of the bytes a
// connection has received so far. Pure: the event loop feeds it its buffer, tests and the
// fuzzer feed it anything. Only what a webhook receiver and an admin API need: no
// absolute-form targets, no obsolete line folding, no chunked or compressed request bodies
// (answered 411 and 415 by the server, which says so in the error).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pheu::handlers {

// Limits as cpp-httplib had them, so behaviour at the edges did not change with the server.
constexpr std::size_t k_max_request_line = 8192;
constexpr std::size_t k_max_request_head = 16384;

struct RequestHead {
    std::string method;
    std::string path;         // percent-decoded, without the query string
    std::string query_string; // as sent, after '?'
    int minor_version = 1;    // HTTP/1.<minor>
    std::vector<std::pair<std::string, std::string>> headers;

    // The last value of a header (names compare case-insensitively); empty when absent.
    std::string header(std::string_view name) const;
    bool has_header(std::string_view name) const;
};

enum class HeadStatus {
    incomplete,   // no blank line yet, and still under the limits
    complete,     // `head` is filled in and `head_length` bytes were used
    bad_request,  // 400: not an HTTP/1.x request head
    uri_too_long, // 414: the request line is over k_max_request_line
    too_large,    // 431: the head is over k_max_request_head
};

struct HeadParse {
    HeadStatus status = HeadStatus::incomplete;
    std::size_t head_length = 0;
    RequestHead head;
};

HeadParse parse_request_head(std::string_view received);

// What the head says about the body that follows.
struct BodyFraming {
    enum class Kind { none, length, chunked, invalid } kind = Kind::none;
    std::size_t length = 0;        // for Kind::length
    bool length_overflows = false; // a Content-Length too long to hold: larger than any limit
};
BodyFraming body_framing(const RequestHead& head);

// Whether the connection stays open after the answer: HTTP/1.1 unless "Connection: close",
// HTTP/1.0 only with "Connection: keep-alive".
bool wants_keep_alive(const RequestHead& head);

// %XX decoding; `plus_is_space` for query strings. Invalid escapes are kept as they are.
std::string percent_decode(std::string_view text, bool plus_is_space);

// One query parameter's decoded value (the first occurrence); nullopt when absent.
std::optional<std::string> query_parameter(std::string_view query_string, std::string_view name);

} // namespace pheu::handlers
