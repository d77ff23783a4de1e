#pragma once
// The PostgreSQL driver of store/sql/connection.h, on libpq. Each statement is prepared
// once on its connection (PQprepare, named pheu_<n>) and run with its parameters as text;
// results are read whole, which suits pheu's statements (single rows, or batches of at
// most a few hundred).
//
// A statement dropped by its owner is deallocated on the server too, a few at a time when the
// connection is next used outside a transaction: a store built for one request (the admin
// API's) prepares its statements on a pooled connection that lives for days, and PostgreSQL
// keeps every prepared statement, with its plans, until it is deallocated or the session ends.
//
// A connection the server dropped (a restart, a failover, a killed backend) is opened
// again at its next use, and its statements are prepared again as they next run: a loop
// that met the failure carries on once the database is back. The failure itself is
// reported (Failure::connection_lost); a transaction open at the time is gone, and every
// statement until its ROLLBACK fails the same way, so none of its work runs outside it.
#include "store/sql/connection.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

    // For the driver's statements: the connection, opened again first if it was lost
    // (Error(connection_lost) while the server is still away, or while the transaction the
    // loss ended is not rolled back yet).
    pg_conn* ready();
    // Increases each time the connection is opened again: statements prepared before are
    // gone from the server.
    std::uint64_t generation() const { return m_generation; }
    // Called with each failure of a call on this connection.
    void note_failure(Failure failure);
    // A statement prepared as `name` in `generation` is no longer used: it is deallocated
    // later, with others (never throws: called from destructors).
    void release(const std::string& name, std::uint64_t generation) noexcept;

    // Released statements are deallocated together, in one round trip, once this many wait.
    static constexpr std::size_t k_release_batch = 32;

private:
    void configure_session();
    // Deallocates the released statements once enough wait and no transaction is open,
    // where a failure could abort nothing.
    void deallocate_released();

    pg_conn* m_connection = nullptr;
    std::string m_target; // redacted, for error messages
    int m_prepared = 0;
    std::uint64_t m_generation = 0;
    bool m_lost = false;                 // the last call lost the connection
    bool m_in_transaction = false;       // a transaction was open when the last call began
    bool m_transaction_lost = false;     // it was lost with the connection; ROLLBACK ends it
    std::vector<std::string> m_released; // prepared in this generation, still on the server
};

} // namespace pheu::store::sql
