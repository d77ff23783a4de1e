#pragma once
// The PostgreSQL driver of store/sql/connection.h, on libpq. Each statement is prepared
// once on its connection (PQprepare, named pheu_<n>) and run with its parameters as text;
// results are read whole, which suits pheu's statements (single rows, or batches of at
// most a few hundred).
#include "store/sql/connection.h"

#include <memory>
#include <string>

struct pg_conn;

namespace pheu::store::sql {

class PostgresConnection final : public Connection {
public:
    // Connects, or throws Error(connection_lost) naming the target without its password.
    explicit PostgresConnection(const DatabaseTarget& target);
    ~PostgresConnection() override;

    Backend backend() const override { return Backend::postgresql; }
    std::unique_ptr<Statement> prepare(const std::string& sql) override;
    void execute(const std::string& sql) override;

private:
    pg_conn* m_connection = nullptr;
    std::string m_target; // redacted, for error messages
    int m_prepared = 0;
};

} // namespace pheu::store::sql
