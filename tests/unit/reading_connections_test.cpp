#include "handlers/http/descriptor_limit.h"
#include "handlers/http/reading_connections.h"

#include <catch2/catch.hpp>

using namespace pheu::handlers;

TEST_CASE("a peer at its cap of waiting connections drops its own oldest", "[unit][http]") {
    ReadingConnections reading({.per_peer = 3, .total = 100});
    for (ReadingConnections::Id id = 1; id <= 3; ++id) {
        CHECK_FALSE(reading.victim_for("10.0.0.9"));
        reading.started(id, "10.0.0.9");
    }
    CHECK(reading.victim_for("10.0.0.9") == 1u);
    CHECK_FALSE(reading.victim_for("10.0.0.1")); // another peer is not held back
    reading.stopped(1);                          // its request completed
    CHECK_FALSE(reading.victim_for("10.0.0.9"));
    CHECK(reading.of_peer("10.0.0.9") == 2);
}

TEST_CASE("at the total cap the busiest peer's oldest waiting connection makes room", "[unit][http]") {
    ReadingConnections reading({.per_peer = 10, .total = 5});
    reading.started(1, "10.0.0.1");
    reading.started(2, "10.0.0.2");
    reading.started(3, "10.0.0.2");
    reading.started(4, "10.0.0.1");
    reading.started(5, "10.0.0.2");
    CHECK(reading.victim_for("10.0.0.3") == 2u);
    reading.stopped(2);
    reading.stopped(99); // unknown: nothing happens
    CHECK(reading.total() == 4);
    CHECK_FALSE(reading.victim_for("10.0.0.3"));
}

TEST_CASE("peers are IPv4 addresses and IPv6 /64 prefixes", "[unit][http]") {
    CHECK(peer_key("203.0.113.7") == "203.0.113.7");
    CHECK(peer_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64");
    CHECK(peer_key("2001:db8:1:2:bbbb::9") == peer_key("2001:db8:1:2:aaaa::1"));
    CHECK(peer_key("::ffff:198.51.100.4") == "198.51.100.4");
}

TEST_CASE("the descriptor budget keeps a reserve and lets half wait for requests", "[unit][http]") {
    const ConnectionBudget at_1024 = connection_budget(1024, 2, 64);
    CHECK(at_1024.max_connections == 384);
    CHECK(at_1024.reading.total == 192);
    CHECK(at_1024.reading.per_peer == 32);
    const ConnectionBudget large = connection_budget(1048576, 1, 64);
    CHECK(large.max_connections == 20000);
    CHECK(connection_budget(100, 1, 64).max_connections == 64);
}
