#include "store/sql/connection.h"

#include "store/sql/postgres_connection.h"
#include "store/sql/sqlite_connection.h"

namespace pheu::store::sql {

std::unique_ptr<Connection> open_connection(const DatabaseTarget& target) {
    if (target.backend == Backend::postgresql) {
        return std::make_unique<PostgresConnection>(target);
    }
    return std::make_unique<SqliteConnection>(target.location);
}

Transaction::Transaction(Connection& connection, Intent intent) : m_connection(connection) {
    const bool immediate = intent == Intent::write && connection.backend() == Backend::sqlite;
    m_connection.execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (m_open) {
        try {
            m_connection.execute("ROLLBACK");
        } catch (const Error&) {
            // The connection is gone or the transaction ended with it: nothing to undo.
        }
    }
}

void Transaction::commit() {
    m_connection.execute("COMMIT");
    m_open = false;
}

} // namespace pheu::store::sql
