// The OpenAPI document (docs/openapi.json) against the server that serves it: every route is
// documented with its method, nothing documented is missing, and the document is served
// without a token. What each exchange carries is checked against it by
// tests/openapi/check_exchanges.mjs over the exchanges the integration tests record.
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

using namespace pheu::testing;
using nlohmann::json;

namespace {

// A path with each parameter as "{}", however it is written: "/api/v1/segments/{id}" in
// the document, R"(/api/v1/segments/([^/]+))" in the route table.
std::string shape_of(const std::string& path) {
    return std::regex_replace(std::regex_replace(path, std::regex(R"(\([^)]*\))"), "{}"), std::regex(R"(\{[^}]*\})"),
                              "{}");
}

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
    return text;
}

} // namespace

TEST_CASE("the OpenAPI document is served without a token and documents every route, and only those",
          "[integration][openapi]") {
    TestServer server;
    auto client = server.client();
    const auto served = client.Get("/api/v1/openapi.json");
    REQUIRE(served);
    CHECK(served->status == 200);
    CHECK(served->get_header_value("Content-Type") == "application/json");
    const json document = json::parse(served->body);
    CHECK(document["openapi"].get<std::string>().rfind("3.1", 0) == 0);

    std::set<std::pair<std::string, std::string>> routes;
    for (const auto& [method, pattern] : server.application().routes()) {
        routes.emplace(method, shape_of(pattern));
    }
    std::set<std::pair<std::string, std::string>> documented;
    for (const auto& [path, operations] : document["paths"].items()) {
        for (const auto& [method, operation] : operations.items()) {
            documented.emplace(upper(method), shape_of(path));
            INFO(method << " " << path);
            CHECK(operation.contains("responses"));
            CHECK(operation.contains("security")); // an empty list says "no token" out loud
        }
    }
    for (const auto& route : routes) {
        INFO("a route the document lacks: " << route.first << " " << route.second);
        CHECK(documented.contains(route));
    }
    for (const auto& operation : documented) {
        INFO("documented, but no such route: " << operation.first << " " << operation.second);
        CHECK(routes.contains(operation));
    }
    CHECK(routes.size() >= 60);
}
