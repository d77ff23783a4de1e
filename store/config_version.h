#pragma once
// The version of what the shop configures: settings, templates, the playbook, the catalog and
// the voucher campaigns. Triggers (migration 17) raise it on every write to those tables,
// whoever writes (the admin API, an import, a restore), so a reader that keeps them in
// memory checks one number per batch and reloads only when it moved.
#include "store/statement_cache.h"

#include "store/sql/connection.h"

#include <cstdint>

namespace pheu::store {

class ConfigVersion {
public:
    explicit ConfigVersion(sql::Connection& db) : m_statements(db) {}

    std::int64_t current() {
        auto query = m_statements("SELECT version FROM shop_config_version WHERE id = 1");
        return query->step() ? query->int64(0) : 0;
    }

private:
    StatementCache m_statements;
};

} // namespace pheu::store
