#include "store/sql/database_target.h"
#include "store/sql/placeholders.h"

#include <catch2/catch.hpp>

using pheu::store::sql::Backend;
using pheu::store::sql::database_target;
using pheu::store::sql::numbered_parameters;
using pheu::store::sql::redacted;

TEST_CASE("a libpq URL selects PostgreSQL, anything else is an SQLite path", "[sql]") {
    CHECK(database_target("postgresql://pheu@db1,db2/pheu?target_session_attrs=read-write").backend ==
          Backend::postgresql);
    CHECK(database_target("postgres://pheu@localhost/pheu").backend == Backend::postgresql);
    CHECK(database_target("pheu.db").backend == Backend::sqlite);
    CHECK(database_target("/var/lib/pheu/pheu.db").backend == Backend::sqlite);
    // A file that happens to be called so is a file; the scheme needs its "//".
    CHECK(database_target("postgresql.db").backend == Backend::sqlite);
    CHECK(database_target("postgres:pheu").backend == Backend::sqlite);
    CHECK(database_target("pheu.db").location == "pheu.db");
}

TEST_CASE("a database URL's password never reaches a log line", "[sql]") {
    CHECK(redacted(database_target("postgresql://pheu:s3cret@db1:5432,db2/pheu")) ==
          "postgresql://pheu:***@db1:5432,db2/pheu");
    CHECK(redacted(database_target("postgresql://pheu:p@ss@db1/pheu")) == "postgresql://pheu:***@db1/pheu");
    CHECK(redacted(database_target("postgres://db1/pheu?sslmode=require&password=s3cret&connect_timeout=3")) ==
          "postgres://db1/pheu?sslmode=require&password=***&connect_timeout=3");
    CHECK(redacted(database_target("postgresql://db1/pheu?password=s3cret")) == "postgresql://db1/pheu?password=***");
    // Nothing to hide: a user without a password, a socket directory, an SQLite path.
    CHECK(redacted(database_target("postgresql://pheu@/pheu?host=/run/postgresql")) ==
          "postgresql://pheu@/pheu?host=/run/postgresql");
    CHECK(redacted(database_target("postgresql://db1/pheu")) == "postgresql://db1/pheu");
    CHECK(redacted(database_target("shop:1@x.db")) == "shop:1@x.db");
}

TEST_CASE("PostgreSQL's parameters are numbered where SQLite's ?, ?NNN and :name stand", "[sql]") {
    auto numbered = numbered_parameters("SELECT a FROM t WHERE b = ? AND c IN (?, ?)");
    CHECK(numbered.text == "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
    CHECK(numbered.count == 3);
    // Not parameters: a ? in a literal (with a doubled quote), an identifier or a comment.
    numbered = numbered_parameters("SELECT 'là ?', 'it''s ?', \"odd?\" -- why?\nFROM t WHERE x = ? /* ? */");
    CHECK(numbered.text == "SELECT 'là ?', 'it''s ?', \"odd?\" -- why?\nFROM t WHERE x = $1 /* ? */");
    CHECK(numbered.count == 1);
    CHECK(numbered_parameters("SELECT 1").count == 0);
    // A name is one parameter wherever it stands, numbered at its first appearance, as
    // SQLite numbers it; a cast is no parameter, nor is a name inside a literal.
    numbered = numbered_parameters("SELECT ? WHERE a = :city OR b = :city::text AND c = ? AND d = ':city'");
    CHECK(numbered.text == "SELECT $1 WHERE a = $2 OR b = $2::text AND c = $3 AND d = ':city'");
    CHECK(numbered.count == 3);
    CHECK(numbered.names.at(":city") == 2);
    numbered = numbered_parameters("VALUES (?1, ?1, ?2, ?)");
    CHECK(numbered.text == "VALUES ($1, $1, $2, $3)");
    CHECK(numbered.count == 3);
    // An index the text leaves out takes no number: PostgreSQL could not tell its type.
    numbered = numbered_parameters("DELETE FROM t WHERE customer_id = ?2");
    CHECK(numbered.text == "DELETE FROM t WHERE customer_id = $1");
    CHECK(numbered.count == 1);
    CHECK(numbered.positions == std::vector<int>{0, 0, 1});
}

TEST_CASE("SQLite's JSON functions get PostgreSQL's names, outside literals only", "[sql]") {
    CHECK(numbered_parameters("SELECT json_object('a', x, 'b', json_group_array(y)) FROM t WHERE z = 'json_object('")
              .text == "SELECT json_build_object('a', x, 'b', json_agg(y)) FROM t WHERE z = 'json_object('");
    // Only the function: a column or a longer name that starts alike is left alone.
    CHECK(numbered_parameters("SELECT my_json_object(x), json_objects FROM t").text ==
          "SELECT my_json_object(x), json_objects FROM t");
    CHECK(numbered_parameters("SELECT value FROM json_each(?2)").text == "SELECT value FROM pheu_json_each($1)");
}

TEST_CASE("SQLite's IS NOT between values is PostgreSQL's IS DISTINCT FROM", "[sql]") {
    CHECK(
        numbered_parameters("WHERE a IS NOT 'held_out' AND b is not ? AND c IS NOT NULL AND d IS NOT\n  e").text ==
        "WHERE a IS DISTINCT FROM 'held_out' AND b IS DISTINCT FROM $1 AND c IS NOT NULL AND d IS DISTINCT FROM\n  e");
    CHECK(numbered_parameters("WHERE x IS NOT DISTINCT FROM y OR z IS NOT TRUE").text ==
          "WHERE x IS NOT DISTINCT FROM y OR z IS NOT TRUE");
}
