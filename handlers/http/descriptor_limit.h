#pragma once
// The process's open-file limit, and how the HTTP loops share it.
#include "handlers/http/reading_connections.h"

#include <cstddef>

namespace pheu::handlers {

// Raises the soft RLIMIT_NOFILE to the hard one (systemd starts services at 1024 soft, with a
// hard limit far higher) and logs what it did. Returns the soft limit now in force.
std::size_t raise_descriptor_limit();

struct ConnectionBudget {
    std::size_t max_connections; // per loop
    ReadingLimits reading;       // per loop
};

// How many connections each of `loops` loops may hold, and how many of them may be waiting
// for a request, out of `descriptors`: a reserve stays for the database, the platforms' API
// connections and logs, and half of the rest at most waits for requests, so a flood of slow
// clients leaves room for the ones being answered. `per_peer` is the whole server's.
ConnectionBudget connection_budget(std::size_t descriptors, int loops, std::size_t per_peer);

} // namespace pheu::handlers
