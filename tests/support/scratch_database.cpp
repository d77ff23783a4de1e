#include "tests/support/scratch_database.h"

#include "common/crypto.h"

#include <catch2/catch.hpp>

#include <cstdlib>

namespace pheu::testing {

namespace {

std::string postgres_server() {
    const char* url = std::getenv("PHEU_TEST_POSTGRES");
    return url == nullptr ? std::string() : std::string(url);
}

} // namespace

std::vector<store::sql::Backend> conformance_backends() {
    if (!postgres_server().empty()) {
        return {store::sql::Backend::sqlite, store::sql::Backend::postgresql};
    }
    if (std::getenv("CI") != nullptr) {
        FAIL("PHEU_TEST_POSTGRES is not set: run the tests through scripts/test.sh, which starts PostgreSQL");
    }
    WARN("PHEU_TEST_POSTGRES is not set: the conformance suite runs on SQLite only (scripts/test.sh runs both)");
    return {store::sql::Backend::sqlite};
}

std::int64_t query_int(store::sql::Connection& db, const std::string& sql) {
    auto query = db.prepare(sql);
    REQUIRE(query->step());
    return query->int64(0);
}

std::string query_text(store::sql::Connection& db, const std::string& sql) {
    auto query = db.prepare(sql);
    REQUIRE(query->step());
    return query->text(0);
}

bool postgres_available() {
    return conformance_backends().size() == 2;
}

const char* backend_name(store::sql::Backend backend) {
    return backend == store::sql::Backend::postgresql ? "PostgreSQL" : "SQLite";
}

ScratchDatabase::ScratchDatabase(store::sql::Backend backend) {
    if (backend == store::sql::Backend::sqlite) {
        m_target = {.backend = backend, .location = m_dir.file("pheu.db")};
        return;
    }
    const std::string server = postgres_server();
    m_schema = "test_" + common::random_hex(8);
    store::sql::open_connection(store::sql::database_target(server))->execute("CREATE SCHEMA " + m_schema);
    // libpq passes `options` to the server at connect: every connection to this target,
    // pheu's own included, works in the scratch schema.
    m_target = {.backend = backend,
                .location = server + (server.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
                            m_schema};
}

ScratchDatabase::~ScratchDatabase() {
    if (m_schema.empty()) {
        return;
    }
    try {
        store::sql::open_connection(store::sql::database_target(postgres_server()))
            ->execute("DROP SCHEMA " + m_schema + " CASCADE");
    } catch (const store::sql::Error&) {
        // The server went away with the test's own doing (a crash test): nothing to drop.
    }
}

std::unique_ptr<store::sql::Connection> ScratchDatabase::connect() const {
    return store::sql::open_connection(m_target);
}

} // namespace pheu::testing
