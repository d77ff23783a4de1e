// The connection layer under the store (store/sql/connection.h), the same cases on SQLite
// and on PostgreSQL: what the repositories written against it may rely on.
#include "store/sql/connection.h"
#include "store/sql/postgres_connection.h"
#include "tests/support/scratch_database.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

using pheu::store::sql::Connection;
using pheu::store::sql::Error;
using pheu::store::sql::Failure;
using pheu::store::sql::Transaction;
using pheu::testing::backend_name;
using pheu::testing::conformance_backends;
using pheu::testing::query_int;
using pheu::testing::ScratchDatabase;

namespace {

void create_events(Connection& db) {
    db.execute("CREATE TABLE events (seq BIGINT PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, body TEXT, "
               "amount DOUBLE PRECISION)");
}

std::int64_t count_events(Connection& db) {
    auto statement = db.prepare("SELECT count(*) FROM events");
    REQUIRE(statement->step());
    return statement->int64(0);
}

} // namespace

TEST_CASE("values go in and come out alike on both backends", "[sql][conformance]") {
    for (const auto backend : conformance_backends()) {
        INFO(backend_name(backend));
        const ScratchDatabase scratch(backend);
        const auto db = scratch.connect();
        create_events(*db);
        auto insert = db->prepare("INSERT INTO events (seq, dedupe_key, body, amount) VALUES (?, ?, ?, ?)");
        const std::int64_t big = std::numeric_limits<std::int64_t>::max();
        insert->bind(1, big);
        insert->bind(2, "zalo:1");
        insert->bind(3, std::string("Chị ơi, áo này còn size M không? 😊"));
        insert->bind(4, 199000.5);
        CHECK(insert->run() == 1);
        insert->reset();
        insert->bind(1, std::numeric_limits<std::int64_t>::min());
        insert->bind(2, "zalo:2");
        insert->bind_null(3);
        insert->bind_null(4);
        CHECK(insert->run() == 1);
        insert->reset();
        insert->bind(1, 0);
        insert->bind(2, "zalo:3");
        insert->bind(3, std::string());
        insert->bind(4, -1.25);
        CHECK(insert->run() == 1);

        auto read = db->prepare("SELECT seq, body, amount FROM events ORDER BY seq DESC");
        REQUIRE(read->step());
        CHECK(read->int64(0) == big);
        CHECK(read->text(1) == "Chị ơi, áo này còn size M không? 😊");
        CHECK(read->real(2) == 199000.5);
        REQUIRE(read->step());
        CHECK(read->int64(0) == 0);
        CHECK_FALSE(read->is_null(1)); // empty text is not NULL
        CHECK(read->text(1).empty());
        CHECK(read->real(2) == -1.25);
        REQUIRE(read->step());
        CHECK(read->int64(0) == std::numeric_limits<std::int64_t>::min());
        CHECK(read->is_null(1));
        CHECK(read->is_null(2));
        CHECK_FALSE(read->step());

        // Run again with new bindings; a '?' inside a literal is text, not a parameter.
        auto with_literal = db->prepare("SELECT '?' || body FROM events WHERE dedupe_key = ?");
        for (const char* key : {"zalo:1", "zalo:3"}) {
            with_literal->reset();
            with_literal->bind(1, key);
            REQUIRE(with_literal->step());
            CHECK(with_literal->text(0).front() == '?');
        }
        // A comparison reads as an integer on both (PostgreSQL answers a boolean).
        auto comparison = db->prepare("SELECT count(*) > 2, count(*) > 5 FROM events");
        REQUIRE(comparison->step());
        CHECK(comparison->int64(0) == 1);
        CHECK(comparison->int64(1) == 0);
        // Parameters typed only by the values bound: an operator between two of them.
        auto sum = db->prepare("SELECT ?1 + ?2, seq FROM events WHERE seq < ?1 + ?2 ORDER BY seq LIMIT 1");
        sum->bind(1, 40);
        sum->bind(2, 2);
        REQUIRE(sum->step());
        CHECK(sum->int64(0) == 42);
        CHECK(sum->int64(1) == std::numeric_limits<std::int64_t>::min());
    }
}

TEST_CASE("a duplicate is refused as a unique violation, and ON CONFLICT returns only new rows", "[sql][conformance]") {
    for (const auto backend : conformance_backends()) {
        INFO(backend_name(backend));
        const ScratchDatabase scratch(backend);
        const auto db = scratch.connect();
        create_events(*db);
        auto insert = db->prepare("INSERT INTO events (seq, dedupe_key) VALUES (?, ?)");
        insert->bind(1, 1);
        insert->bind(2, "msg-1");
        insert->run();
        insert->reset();
        insert->bind(1, 2);
        insert->bind(2, "msg-1");
        try {
            insert->run();
            FAIL("a second row with the same key was accepted");
        } catch (const Error& error) {
            CHECK(error.failure() == Failure::unique_violation);
            // Errors reach the log: never the values of the refused row.
            CHECK(std::string(error.what()).find("msg-1") == std::string::npos);
        }

        // The dedupe of several pheu instances: the database says which keys were new.
        auto dedupe = db->prepare("INSERT INTO events (seq, dedupe_key) VALUES (?, ?), (?, ?), (?, ?) "
                                  "ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key");
        const char* keys[] = {"msg-1", "msg-2", "msg-3"};
        for (int i = 0; i < 3; ++i) {
            dedupe->bind(2 * i + 1, 10 + i);
            dedupe->bind(2 * i + 2, keys[i]);
        }
        std::vector<std::string> stored;
        while (dedupe->step()) {
            stored.push_back(dedupe->text(0));
        }
        std::sort(stored.begin(), stored.end());
        CHECK(stored == std::vector<std::string>{"msg-2", "msg-3"});
        CHECK(count_events(*db) == 3);
    }
}

TEST_CASE("a transaction is seen by another connection only once committed, and rolls back unless it is",
          "[sql][conformance]") {
    for (const auto backend : conformance_backends()) {
        INFO(backend_name(backend));
        const ScratchDatabase scratch(backend);
        const auto writer = scratch.connect();
        const auto reader = scratch.connect();
        create_events(*writer);
        {
            Transaction transaction(*writer);
            auto insert = writer->prepare("INSERT INTO events (seq, dedupe_key) VALUES (1, 'a')");
            insert->run();
            CHECK(count_events(*writer) == 1);
            CHECK(count_events(*reader) == 0);
            // Not committed: rolled back as it goes out of scope.
        }
        CHECK(count_events(*writer) == 0);
        {
            Transaction transaction(*writer);
            writer->prepare("INSERT INTO events (seq, dedupe_key) VALUES (2, 'b')")->run();
            transaction.commit();
        }
        CHECK(count_events(*reader) == 1);
        // A statement that failed inside a transaction leaves the transaction to roll back.
        try {
            Transaction transaction(*writer);
            writer->prepare("INSERT INTO events (seq, dedupe_key) VALUES (3, 'c')")->run();
            writer->prepare("INSERT INTO events (seq, dedupe_key) VALUES (4, 'b')")->run();
            transaction.commit();
            FAIL("the duplicate was accepted");
        } catch (const Error& error) {
            CHECK(error.failure() == Failure::unique_violation);
        }
        CHECK(count_events(*reader) == 1);
        // The connection is usable after it.
        writer->prepare("INSERT INTO events (seq, dedupe_key) VALUES (5, 'e')")->run();
        CHECK(count_events(*reader) == 2);
        // A statement whose parameters only its values type, prepared inside a transaction,
        // leaves the transaction going (PostgreSQL refuses its first prepare).
        {
            Transaction transaction(*writer);
            writer->prepare("INSERT INTO events (seq, dedupe_key) VALUES (6, 'f')")->run();
            auto sum = writer->prepare("SELECT ?1 + ?2");
            sum->bind(1, 6);
            sum->bind(2, 1);
            REQUIRE(sum->step());
            CHECK(sum->int64(0) == 7);
            transaction.commit();
        }
        CHECK(count_events(*reader) == 3);
    }
}

TEST_CASE("SQL the database refuses is an error naming why, never a crash", "[sql][conformance]") {
    for (const auto backend : conformance_backends()) {
        INFO(backend_name(backend));
        const ScratchDatabase scratch(backend);
        const auto db = scratch.connect();
        CHECK_THROWS_AS(db->prepare("SELECT nothing FROM nowhere"), Error);
        CHECK_THROWS_AS(db->execute("NOT SQL AT ALL"), Error);
        create_events(*db);
        auto insert = db->prepare("INSERT INTO events (seq, dedupe_key) VALUES (?, ?)");
        insert->bind(1, 1);
        CHECK_THROWS_AS(insert->bind(3, 1), Error); // there is no third parameter
        CHECK_THROWS_AS(insert->run(), Error);      // the second, NOT NULL, was never bound
    }
}

TEST_CASE("a PostgreSQL connection the server dropped is opened again at its next use, and its transaction is gone",
          "[sql][conformance]") {
    if (!pheu::testing::postgres_available()) {
        return;
    }
    const ScratchDatabase scratch(pheu::store::sql::Backend::postgresql);
    const auto db = scratch.connect();
    const auto other = scratch.connect();
    create_events(*db);
    auto insert = db->prepare("INSERT INTO events (seq, dedupe_key) VALUES (?, ?)");
    auto count = db->prepare("SELECT count(*) FROM events");
    // What a restart of the server, or a failover, does to every connection at once.
    const auto drop_connection = [&] {
        const std::int64_t backend = query_int(*db, "SELECT pg_backend_pid()");
        query_int(*other, "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE pg_terminate_backend(" +
                              std::to_string(backend) + ")");
    };

    drop_connection();
    CHECK_THROWS_MATCHES(count->step(), Error, Catch::Predicate<Error>([](const Error& e) {
                             return e.failure() == Failure::connection_lost;
                         }));
    count->reset();
    // The statement was prepared on the connection that is gone; it is prepared again.
    REQUIRE(count->step());
    CHECK(count->int64(0) == 0);
    count->reset();

    {
        Transaction transaction(*db);
        insert->bind(1, 1);
        insert->bind(2, "zalo:1");
        CHECK(insert->run() == 1);
        insert->reset();
        drop_connection();
        insert->bind(1, 2);
        insert->bind(2, "zalo:2");
        CHECK_THROWS_AS(insert->run(), Error);
        insert->reset();
        // The rest of the transaction would run outside it, on the new connection: it fails
        // until the transaction is rolled back.
        insert->bind(1, 3);
        insert->bind(2, "zalo:3");
        CHECK_THROWS_MATCHES(insert->run(), Error, Catch::Predicate<Error>([](const Error& e) {
                                 return e.failure() == Failure::connection_lost;
                             }));
        insert->reset();
        CHECK_THROWS_AS(transaction.commit(), Error);
    }
    CHECK(count_events(*db) == 0);
    insert->bind(1, 4);
    insert->bind(2, "zalo:4");
    CHECK(insert->run() == 1);
    CHECK(count_events(*other) == 1);
}

TEST_CASE("statements dropped on a PostgreSQL connection do not pile up on the server", "[sql][conformance]") {
    if (!pheu::testing::postgres_available()) {
        return;
    }
    using pheu::store::sql::PostgresConnection;
    const ScratchDatabase scratch(pheu::store::sql::Backend::postgresql);
    const auto db = scratch.connect();
    create_events(*db);
    // Kept for the whole test, as a repository's cache keeps its statements.
    auto kept = db->prepare("SELECT count(*) FROM events WHERE seq > ?");
    const auto on_server = [&] { return query_int(*db, "SELECT count(*) FROM pg_prepared_statements"); };
    // A store built for each request prepares its statements and drops them after.
    for (int request = 0; request < 200; ++request) {
        auto insert = db->prepare("INSERT INTO events (seq, dedupe_key) VALUES (?, ?)");
        insert->bind(1, request);
        insert->bind(2, "zalo:" + std::to_string(request));
        CHECK(insert->run() == 1);
    }
    // At most one batch waits to be deallocated (and the count's own statement).
    CHECK(on_server() <= static_cast<std::int64_t>(PostgresConnection::k_release_batch) + 3);
    kept->bind(1, 100);
    REQUIRE(kept->step());
    CHECK(kept->int64(0) == 99);
    kept->reset();

    // Dropped inside a transaction: deallocated after it, and the transaction unharmed.
    {
        Transaction transaction(*db);
        for (int request = 200; request < 260; ++request) {
            auto insert = db->prepare("INSERT INTO events (seq, dedupe_key) VALUES (?, ?)");
            insert->bind(1, request);
            insert->bind(2, "zalo:" + std::to_string(request));
            CHECK(insert->run() == 1);
        }
        transaction.commit();
    }
    CHECK(count_events(*db) == 260);
    CHECK(on_server() <= static_cast<std::int64_t>(PostgresConnection::k_release_batch) + 3);
}
