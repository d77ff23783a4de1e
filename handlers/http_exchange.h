#pragma once
// Plain request and reply values, so handlers are functions that tests call without a socket.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pheu::handlers {

struct HttpRequestView {
    std::string_view body;
    // Header lookup, case-insensitive; empty when absent.
    std::function<std::string(const std::string& name)> header;
    // Query parameter lookup; empty when absent.
    std::function<std::string(const std::string& name)> query;
    // Path parameters captured by the route pattern, in order.
    std::vector<std::string> path_params;
};

struct HttpReply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
};

} // namespace pheu::handlers
