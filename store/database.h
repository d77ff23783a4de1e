#pragma once
// Opening a connection to pheu's SQLite file with the settings every connection needs.
#include "store/sync.h"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pheu::store {

// Opens (creating if needed) the database with WAL, foreign keys, a busy timeout and
// synchronous=FULL (or NORMAL, store/sync.h): an acknowledged event must survive a crash of
// the process and of the machine. Each thread that touches the database opens its own
// connection, or holds a lock around one it shares (the admin writer, the health probe, the
// read pool): connections are opened without SQLite's own per-call mutex, which cost a
// tenth of the worker's time.
std::unique_ptr<SQLite::Database> open_database(const std::string& path, Sync sync = Sync::full);

// Makes every transaction committed so far in the database durable: one fsync of the
// write-ahead log, through `db`'s own handle to it (the log is one file, written in order, so
// this covers every connection's commits before it). A Sync::normal connection that calls it
// after its commit and before it acknowledges anything is as durable as a Sync::full one,
// and its fsync no longer holds SQLite's write lock and pheu's write gate
// (store/write_gate.h): the next writer commits while this one waits for the disk. Measured
// at 2,000 chats a second, the inbox writer's and the senders' fsyncs under the gate were a
// third of the gate's time. Throws SQLite::Exception when the disk refuses.
void sync_log(SQLite::Database& db);

// The SQL functions pheu's statements use (pheu_fold); open_database registers them, and a
// connection opened some other way must too before it migrates or writes customers.
void register_functions(SQLite::Database& db);

// For benchmarks: every connection opened from now on counts the statements it runs
// (sqlite3_trace_v2, each statement once as it starts; BEGIN and COMMIT count). What a
// statement costs is a round trip on a networked database, so this is what the pipeline
// benchmark reports per event. Off unless called: no connection is traced otherwise.
// With `by_text`, each statement is also counted and timed under its SQL text
// (statements_by_text).
// The programs of triggers a statement fires are counted apart: they run inside the
// database, within the statement's own round trip.
void count_statements_from_now(bool by_text = false);
std::uint64_t statements_counted();
std::uint64_t trigger_programs_counted();
// The statements counted by their SQL text, the most time taken first: where the count and
// the time come from. A statement's time runs from its first step to its reset.
struct StatementProfile {
    std::uint64_t runs = 0;
    std::uint64_t nanoseconds = 0;
};
std::vector<std::pair<std::string, StatementProfile>> statements_by_text();

} // namespace pheu::store
