#include "store/audit_store.h"

#include "store/sql_helpers.h"

namespace pheu::store {

AuditStore::AuditStore(sql::Connection& db) : m_statements(db) {}

void AuditStore::record(const AuditEntry& entry) {
    auto insert = m_statements("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)");
    insert->bind(1, static_cast<int64_t>(entry.at));
    insert->bind(2, entry.actor);
    insert->bind(3, entry.action);
    insert->bind(4, entry.target);
    insert->bind(5, entry.detail_json);
    insert->run();
}

std::vector<AuditEntry> AuditStore::list(int limit, std::optional<std::int64_t> before_id) {
    auto query = m_statements("SELECT id, at, actor, action, target, detail FROM audit_log "
                              "WHERE id < coalesce(?, 9223372036854775807) ORDER BY id DESC LIMIT ?");
    bind_optional_int(*query, 1, before_id);
    query->bind(2, limit);
    std::vector<AuditEntry> rows;
    while (query->step()) {
        rows.push_back(AuditEntry{query->int64(0), query->int64(1), query->text(2), query->text(3), query->text(4),
                                  query->text(5)});
    }
    return rows;
}

} // namespace pheu::store
