#include "store/migrations.h"

#include <SQLiteCpp/Transaction.h>

#include <array>
#include <string>

namespace pheu::store {

namespace {

// Index i holds migration number i + 1.
constexpr std::array k_migrations = {
    // 1: the durable inbox. Every accepted event is a row before its HTTP answer.
    R"sql(
CREATE TABLE inbox_events (
    seq          INTEGER PRIMARY KEY,
    dedupe_key   TEXT    NOT NULL UNIQUE,
    source       TEXT    NOT NULL,
    account_id   TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL,
    occurred_at  INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'processed', 'failed', 'rejected')),
    event        TEXT    NOT NULL,
    raw          TEXT    NOT NULL,
    customer_id  INTEGER,
    error        TEXT,
    processed_at INTEGER
) STRICT;
-- The worker's queue: only pending rows are in this index, so it stays small.
CREATE INDEX inbox_pending ON inbox_events (seq) WHERE state = 'pending';
CREATE INDEX inbox_by_customer ON inbox_events (customer_id, occurred_at) WHERE customer_id IS NOT NULL;
)sql",
    // 2: customers and the identities they are known by on each channel.
    R"sql(
CREATE TABLE customers (
    id                  INTEGER PRIMARY KEY,
    created_at          INTEGER NOT NULL,
    first_seen_at       INTEGER,
    first_source        TEXT,
    last_interaction_at INTEGER,
    name                TEXT
) STRICT;
CREATE TABLE customer_identities (
    channel     TEXT    NOT NULL CHECK (channel IN ('zalo', 'zalo_app', 'messenger', 'phone', 'external', 'zalo_anonymous')),
    external_id TEXT    NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, external_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_identities_by_customer ON customer_identities (customer_id);
)sql",
};

} // namespace

int latest_schema_version() {
    return static_cast<int>(k_migrations.size());
}

int apply_migrations(SQLite::Database& db) {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    while (version < latest_schema_version()) {
        SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
        // Another process may have migrated between our read and the lock.
        version = db.execAndGet("PRAGMA user_version").getInt();
        if (version >= latest_schema_version()) {
            break;
        }
        db.exec(k_migrations[static_cast<std::size_t>(version)]);
        ++version;
        db.exec("PRAGMA user_version = " + std::to_string(version));
        transaction.commit();
    }
    return version;
}

} // namespace pheu::store
