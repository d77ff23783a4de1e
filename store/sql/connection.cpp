#include "store/sql/connection.h"

#include "store/sql/postgres_connection.h"
#include "store/sql/sqlite_connection.h"

namespace pheu::store::sql {

std::unique_ptr<Connection> open_connection(const DatabaseTarget& target, Sync sync) {
    if (target.backend == Backend::postgresql) {
        return std::make_unique<PostgresConnection>(target);
    }
    return std::make_unique<SqliteConnection>(target.location, sync);
}

std::unique_ptr<Connection> open_connection(const std::string& configured, Sync sync) {
    return open_connection(database_target(configured), sync);
}

Transaction::Transaction(Connection& connection, Intent intent) : m_connection(connection) {
    if (connection.backend() == Backend::sqlite) {
        m_connection.execute(intent == Intent::write ? "BEGIN IMMEDIATE" : "BEGIN");
    } else {
        // A read sees one snapshot for all its statements, as an SQLite read transaction
        // does; PostgreSQL's default takes a new one per statement.
        m_connection.execute(intent == Intent::write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
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
