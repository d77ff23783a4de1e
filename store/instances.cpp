#include "store/instances.h"

#include "common/crypto.h"

#include <unistd.h>

#include <array>
#include <string>

namespace pheu::store {

namespace {
constexpr std::int64_t k_forgotten_after_ms = 24LL * 3600 * 1000;
} // namespace

std::string new_instance_id() {
    std::array<char, 256> host{};
    if (::gethostname(host.data(), host.size() - 1) != 0) {
        host[0] = '\0';
    }
    return std::string(host.data()) + "-" + std::to_string(::getpid()) + "-" + common::random_hex(4);
}

const char* database_now_ms_sql(sql::Backend backend) {
    return backend == sql::Backend::postgresql ? "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)"
                                               : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
}

std::string live_heartbeat_sql(sql::Backend backend, const std::string& column) {
    return column + " >= " + database_now_ms_sql(backend) + " - " + std::to_string(k_instance_expiry_ms);
}

InstanceRegistry::InstanceRegistry(sql::Connection& db) : m_statements(db) {}

void InstanceRegistry::beat(const std::string& id, std::int64_t started_at_ms) {
    const std::string now = database_now_ms_sql(m_statements.backend());
    auto upsert = m_statements("INSERT INTO pheu_instances (id, started_at, heartbeat_at) VALUES (?, ?, " + now +
                               ") ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at");
    upsert->bind(1, id);
    upsert->bind(2, started_at_ms);
    upsert->run();
    auto forget = m_statements("DELETE FROM pheu_instances WHERE heartbeat_at < " + now + " - ?");
    forget->bind(1, k_forgotten_after_ms);
    forget->run();
}

int InstanceRegistry::live_count() {
    auto count = m_statements("SELECT count(*) FROM pheu_instances WHERE " +
                              live_heartbeat_sql(m_statements.backend(), "heartbeat_at"));
    count->step();
    return static_cast<int>(count->int64(0));
}

} // namespace pheu::store
