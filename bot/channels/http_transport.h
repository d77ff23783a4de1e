#pragma once
// The HTTP seam between pheu and the platforms. Abstract so the clients can be tested
// against recorded requests; the real one (HttplibTransport) speaks HTTP and HTTPS through
// cpp-httplib. Library errors become a typed failure here, once.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace pheu::bot::channels {

struct HttpCall {
    std::string method = "POST";
    std::string url; // scheme://host[:port]/path?query
    std::map<std::string, std::string> headers;
    std::string body;
    std::string content_type = "application/json";
};

enum class TransportFailure {
    none,
    // Nothing reached the platform (connection refused, DNS, TLS handshake): safe to retry.
    not_sent,
    // The request went out but no answer came back (timeout, reset): the platform may have
    // acted on it.
    no_answer,
};

struct HttpAnswer {
    TransportFailure failure = TransportFailure::none;
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers; // lower-case names
    std::string error;                          // the library's description when failure != none
};

class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    virtual HttpAnswer send(const HttpCall& call) = 0;
};

struct TransportTimeouts {
    int connect_ms = 5000;
    int read_ms = 10000;
};

// cpp-httplib, keeping one connection per calling thread and host.
std::unique_ptr<HttpTransport> make_httplib_transport(TransportTimeouts timeouts);

// Percent-encodes a query parameter value.
std::string url_encode(const std::string& value);

} // namespace pheu::bot::channels
