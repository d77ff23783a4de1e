#pragma once
// SQL over the audit log: every change made through the admin API, with when, by which
// token (a fingerprint, never the token) and what.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct AuditEntry {
    std::int64_t id = 0;
    std::int64_t at = 0;
    std::string actor;  // "admin:<first 8 hex of the token's SHA-256>"
    std::string action; // "template.update", "settings.put", …
    std::string target; // what was changed: a template id, a setting key…
    std::string detail_json = "{}";
};

class AuditStore {
public:
    explicit AuditStore(sql::Connection& db);

    void record(const AuditEntry& entry);
    // Newest first; entries older than `before_id` when given.
    std::vector<AuditEntry> list(int limit, std::optional<std::int64_t> before_id);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
