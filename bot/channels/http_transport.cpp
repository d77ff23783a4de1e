#include "bot/channels/http_transport.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <utility>

namespace pheu::bot::channels {

namespace {

struct SplitUrl {
    std::string origin; // scheme://host[:port]
    std::string path;   // /path?query
};

SplitUrl split_url(const std::string& url) {
    const auto scheme_end = url.find("://");
    const auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    if (path_start == std::string::npos) {
        return {url, "/"};
    }
    return {url.substr(0, path_start), url.substr(path_start)};
}

// Errors raised before any byte of the request could have reached the platform.
bool nothing_was_sent(httplib::Error error) {
    switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
    case httplib::Error::ConnectionTimeout:
        return true;
    default:
        return false;
    }
}

class HttplibTransport final : public HttpTransport {
public:
    explicit HttplibTransport(TransportTimeouts timeouts) : m_timeouts(timeouts) {}

    HttpAnswer send(const HttpCall& call) override {
        const SplitUrl url = split_url(call.url);
        httplib::Client& client = client_for(url.origin);
        httplib::Headers headers;
        for (const auto& [name, value] : call.headers) {
            headers.emplace(name, value);
        }
        httplib::Result result = call.method == "GET"
                                     ? client.Get(url.path.c_str(), headers)
                                     : client.Post(url.path.c_str(), headers, call.body, call.content_type.c_str());
        HttpAnswer answer;
        if (!result) {
            const httplib::Error error = result.error();
            answer.failure = nothing_was_sent(error) ? TransportFailure::not_sent : TransportFailure::no_answer;
            answer.error = httplib::to_string(error);
            return answer;
        }
        answer.status = result->status;
        answer.body = result->body;
        for (const auto& [name, value] : result->headers) {
            std::string lower = name;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            answer.headers[lower] = value;
        }
        return answer;
    }

private:
    // One keep-alive connection per thread and host: a TLS handshake per message would cost
    // more than the message. cpp-httplib checks that an idle connection is still open before
    // reusing it (and reconnects otherwise).
    httplib::Client& client_for(const std::string& origin) {
        thread_local std::map<std::pair<const void*, std::string>, std::unique_ptr<httplib::Client>> clients;
        auto& client = clients[{this, origin}];
        if (!client) {
            client = std::make_unique<httplib::Client>(origin);
            client->set_connection_timeout(m_timeouts.connect_ms / 1000, (m_timeouts.connect_ms % 1000) * 1000);
            client->set_read_timeout(m_timeouts.read_ms / 1000, (m_timeouts.read_ms % 1000) * 1000);
            client->set_write_timeout(m_timeouts.read_ms / 1000, (m_timeouts.read_ms % 1000) * 1000);
            client->set_keep_alive(true);
            // Without it a small request on a kept-alive connection waits out Nagle and
            // delayed ACKs: about 40 ms a call (measured: Nagle and delayed ACKs).
            client->set_tcp_nodelay(true);
        }
        return *client;
    }

    TransportTimeouts m_timeouts;
};

} // namespace

std::unique_ptr<HttpTransport> make_httplib_transport(TransportTimeouts timeouts) {
    return std::make_unique<HttplibTransport>(timeouts);
}

std::string url_encode(const std::string& value) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string encoded;
    for (const char raw : value) {
        const auto c = static_cast<unsigned char>(raw);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += k_hex[c >> 4];
            encoded += k_hex[c & 0x0f];
        }
    }
    return encoded;
}

} // namespace pheu::bot::channels
