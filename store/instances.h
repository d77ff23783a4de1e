#pragma once
// The pheu processes serving one database. Each takes an id at start-up and writes a
// heartbeat every few seconds, stamped with the database's clock (instances' own clocks may
// disagree). What an instance claimed (an outbox row being sent) is its own while its
// heartbeat is fresh; once it has been silent for `k_instance_expiry_ms`, a live instance
// takes its claims back (bot/delivery/delivery_dispatcher.h). On SQLite one process serves
// the file, so every claim found at start-up is a dead process's.
#include "store/statement_cache.h"

#include <cstdint>
#include <string>

namespace pheu::store {

// How often an instance writes its heartbeat, and how long a silence means it is gone: long
// enough that a busy machine or a database failover (seconds) does not count as a death.
inline constexpr std::int64_t k_heartbeat_interval_ms = 2000;
inline constexpr std::int64_t k_instance_expiry_ms = 30000;

// A new id for this process: host name, process id and random digits, so a restarted
// process never inherits the claims of the one before it.
std::string new_instance_id();

// The database's clock in milliseconds since the epoch, as SQL: what heartbeats are stamped
// and judged with.
const char* database_now_ms_sql(sql::Backend backend);
// The SQL condition that the heartbeat in `column` is fresh: its instance is alive.
std::string live_heartbeat_sql(sql::Backend backend, const std::string& column);

class InstanceRegistry {
public:
    explicit InstanceRegistry(sql::Connection& db);

    // Records that `id` (started at `started_at_ms`) is alive now; forgets instances silent
    // for a day.
    void beat(const std::string& id, std::int64_t started_at_ms);
    // How many instances' heartbeats are fresh, this one's included once it has beaten.
    int live_count();

private:
    StatementCache m_statements;
};

} // namespace pheu::store
