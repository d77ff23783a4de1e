#pragma once
// Plain request and reply values, so handlers are functions that tests call without a socket.
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pheu::handlers {

enum class Method { get, post, put, del, options };

struct HttpRequestView {
    Method method = Method::get; // HEAD is answered as GET
    std::string_view body;
    // Header lookup, case-insensitive; empty when absent.
    std::function<std::string(const std::string& name)> header;
    // Query parameter lookup; empty when absent.
    std::function<std::string(const std::string& name)> query;
    // Path parameters captured by the route pattern, in order.
    std::vector<std::string> path_params;
    // Who an admin route let in, for the audit log: "admin:<token fingerprint>" or
    // "user:<name>" (admin_access.h); empty on every other route.
    std::string actor;
};

struct HttpReply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
};

// Where a deferred handler sends its reply: call it exactly once, from any thread.
using ReplySink = std::function<void(HttpReply)>;

// For a handler on a blocking thread that calls a deferred one: starts it and waits.
inline HttpReply await_reply(const std::function<void(ReplySink)>& start) {
    auto promise = std::make_shared<std::promise<HttpReply>>();
    std::future<HttpReply> reply = promise->get_future();
    start([promise](HttpReply answer) { promise->set_value(std::move(answer)); });
    return reply.get();
}

} // namespace pheu::handlers
