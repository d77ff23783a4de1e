#pragma once
// Group commit for the inbox: callers hand their records over (the event loops without
// waiting, others waiting); one writer thread commits everything queued so far in a single
// transaction, then tells each. An answer is sent only after its records are on disk: the
// commit is written with synchronous=NORMAL under the write gate, and the log is synced
// (one fsync for many requests) once the gate is free, so the worker and the dispatcher
// write while the disk takes the batch (store/database.h, sync_log). Redeliveries are found
// through the unsettled keys and the settled-key table (store/unsettled_keys.h), so the
// commit only appends.
//
// (Tried and dropped: syncing from a second thread while the next batch is inserted. It did
// not raise acknowledgements a second at 16 or 64 webhook connections; the cores set that
// pace. Syncing outside the gate is for the others: at 2,000 chats a second the inbox's
// fsyncs held the gate a fifth of the time, and the worker's replies waited.)
#include "store/inbox_record.h"
#include "store/sql/connection.h"
#include "store/unsettled_keys.h"
#include "store/write_gate.h"

#include <atomic>
#include <chrono>
#include <optional>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pheu::store::sql {
class Connection;
}

namespace pheu::store {

class InboxStore;

class InboxWriter {
public:
    // `on_commit` runs on the writer thread after each commit that stored a new pending row
    // (the processing worker uses it to wake up). `unsettled` is shared with the processing
    // worker; it is filled with the keys of the rows pending in the database now.
    InboxWriter(const std::string& database_path, WriteGate& gate, UnsettledKeys& unsettled,
                std::function<void()> on_commit);
    ~InboxWriter();
    InboxWriter(const InboxWriter&) = delete;
    InboxWriter& operator=(const InboxWriter&) = delete;

    // Stores the records atomically (all or none) and returns once they are durable, with
    // one outcome per record. Throws when the database fails or the writer has stopped.
    std::vector<InsertOutcome> write(const std::vector<InboxRecord>& records);

    // The same without blocking, for the HTTP event loop: `done` runs on the writer thread
    // once the commit is durable, with the records and one outcome per record, or with the
    // error (and no outcomes) when the batch failed or the writer has stopped (then on the
    // calling thread). It must be quick and must not throw: the rest of the batch waits.
    using Completion = std::function<void(const std::vector<InboxRecord>& records, std::vector<InsertOutcome> outcomes,
                                          std::exception_ptr error)>;
    void write_async(std::vector<InboxRecord> records, Completion done);

    // Why the last commit failed (a full disk, a lock held elsewhere), or nothing when it
    // succeeded: what GET /healthz reports.
    std::optional<std::string> commit_failure() const;
    // Commits a write of its own (the probe row) and returns whether it succeeded within
    // `timeout`: after a failure, tells whether the inbox can commit again before an event
    // has to find out.
    bool probe(std::chrono::milliseconds timeout);

    // Commits what is queued, then stops the writer thread. Later writes throw.
    void stop();

    // How many commits and records so far, for the benchmark note and metrics.
    std::uint64_t commits() const;

private:
    struct Request {
        std::vector<InboxRecord> records;
        std::vector<InsertOutcome> outcomes;
        std::exception_ptr error;
        Completion done;
        bool probe = false; // rewrites the probe row instead of storing records
    };
    using Batch = std::vector<std::unique_ptr<Request>>;

    void enqueue(std::unique_ptr<Request> request);
    void run();
    void commit_batch(Batch& batch);
    // Every request of the batch learns that nothing of it is stored.
    void fail_batch(Batch& batch, const std::exception_ptr& error);
    // A deadlock or serialization conflict: the batch may simply run again.
    static bool is_worth_retrying(const std::exception_ptr& error);
    // SQLite: one record, its key looked up in memory and among the settled keys.
    InsertOutcome append_unless_known(const InboxRecord& record, std::vector<std::string>& keys_added);
    // PostgreSQL: the batch's records in a few statements of many rows; whether an event to
    // decide was stored.
    bool append_to_shared_inbox(Batch& batch);
    void write_probe();

    std::unique_ptr<sql::Connection> m_db;
    std::unique_ptr<InboxStore> m_store;
    WriteGate& m_gate;
    UnsettledKeys& m_unsettled;
    std::function<void()> m_on_commit;

    mutable std::mutex m_mutex;
    std::condition_variable m_work_ready;
    Batch m_queue; // what the next commit takes
    bool m_stopping = false;
    std::atomic<std::uint64_t> m_commits{0};
    std::optional<std::string> m_failure; // under m_mutex
    std::thread m_thread;
};

} // namespace pheu::store
