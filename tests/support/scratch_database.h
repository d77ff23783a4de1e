#pragma once
// The databases the store's conformance suite runs on. SQLite always; PostgreSQL when
// PHEU_TEST_POSTGRES holds a libpq URL of a server the test may create schemas in
// (scripts/test.sh starts a throwaway cluster and sets it). Under CI (CI set) a missing
// PHEU_TEST_POSTGRES fails the suite instead of leaving PostgreSQL untested.
#include "store/sql/connection.h"
#include "tests/support/temp_dir.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pheu::testing {

std::vector<store::sql::Backend> conformance_backends();
// Whether the suite has a PostgreSQL to run the cases of several instances on.
bool postgres_available();

// The first column of the first row of `sql`, for assertions.
std::int64_t query_int(store::sql::Connection& db, const std::string& sql);
std::string query_text(store::sql::Connection& db, const std::string& sql);
const char* backend_name(store::sql::Backend backend);

// A fresh, empty database, removed afterwards: an SQLite file in a temporary directory, or
// a PostgreSQL schema of its own whose name every connection's search_path starts with.
class ScratchDatabase {
public:
    explicit ScratchDatabase(store::sql::Backend backend);
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    // What a server's configuration would name as its "database".
    const store::sql::DatabaseTarget& target() const { return m_target; }
    // A connection of its own each call (two connections stand for two pheu instances).
    std::unique_ptr<store::sql::Connection> connect() const;

private:
    TempDir m_dir;
    store::sql::DatabaseTarget m_target;
    std::string m_schema; // PostgreSQL only
};

} // namespace pheu::testing
