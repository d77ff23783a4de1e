#pragma once
// Group commit for the inbox: request threads hand their records over and wait; one writer
// thread commits everything queued so far in a single transaction (one fsync for many
// requests), then wakes them. An answer is sent only after its records are on disk.
#include "store/inbox_record.h"
#include "store/write_gate.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace SQLite {
class Database;
}

namespace pheu::store {

class InboxStore;

class InboxWriter {
public:
    // `on_commit` runs on the writer thread after each commit that stored a new pending row
    // (the processing worker uses it to wake up).
    InboxWriter(const std::string& database_path, WriteGate& gate, std::function<void()> on_commit);
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
    using Completion = std::function<void(const std::vector<InboxRecord>& records,
                                          std::vector<InsertOutcome> outcomes, std::exception_ptr error)>;
    void write_async(std::vector<InboxRecord> records, Completion done);

    // Commits what is queued, then stops the writer thread. Later writes throw.
    void stop();

    // How many commits and records so far, for the benchmark note and metrics.
    std::uint64_t commits() const;

private:
    struct Request {
        const std::vector<InboxRecord>* records = nullptr;
        std::vector<InsertOutcome> outcomes;
        std::exception_ptr error;
        // Set for write_async, which owns the records here and is told through `done`.
        std::vector<InboxRecord> owned_records;
        Completion done;
    };
    // The requests one commit stores, and the flag their threads wait on. A commit wakes
    // its whole batch with one futex call on `committed`, and the woken threads return
    // without taking m_mutex. Per request, a condition variable signalled under the mutex
    // cost a wake-up call each and then a fight for the mutex (a tenth of the ingest CPU);
    // one condition shared by all batches woke every waiting thread at every commit.
    // Shared: a waiter keeps the batch alive until it has read its outcomes.
    struct Batch {
        std::vector<Request*> requests;
        std::atomic<std::uint32_t> committed{0};
    };

    void run();
    void commit_batch(Batch& batch);

    std::unique_ptr<SQLite::Database> m_db;
    std::unique_ptr<InboxStore> m_store;
    WriteGate& m_gate;
    std::function<void()> m_on_commit;

    mutable std::mutex m_mutex;
    std::condition_variable m_work_ready;
    std::shared_ptr<Batch> m_open; // the batch new requests join
    bool m_stopping = false;
    std::atomic<std::uint64_t> m_commits{0};
    std::thread m_thread;
};

} // namespace pheu::store
