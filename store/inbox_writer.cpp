#include "store/inbox_writer.h"

#include "store/database.h"
#include "store/inbox_store.h"
#include "store/thread_name.h"

#include <SQLiteCpp/Transaction.h>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <stdexcept>
#include <utility>

namespace pheu::store {

namespace {

// The futex calls themselves: std::atomic::wait in libstdc++ 12 spins and calls
// sched_yield before it sleeps, which on two cores cost more context switches than it
// saved. A waiter sleeps only while the flag is still 0, so a wake-up cannot be missed.
void futex_wait_while_zero(std::atomic<std::uint32_t>& flag) {
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&flag), FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
}

void futex_wake_all(std::atomic<std::uint32_t>& flag) {
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&flag), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

} // namespace

InboxWriter::InboxWriter(const std::string& database_path, WriteGate& gate, std::function<void()> on_commit)
    : m_db(open_database(database_path)), m_store(std::make_unique<InboxStore>(*m_db)), m_gate(gate),
      m_on_commit(std::move(on_commit)), m_open(std::make_shared<Batch>()), m_thread([this] {
          name_this_thread("inbox-writer");
          run();
      }) {}

InboxWriter::~InboxWriter() {
    stop();
}

std::vector<InsertOutcome> InboxWriter::write(const std::vector<InboxRecord>& records) {
    Request request;
    request.records = &records;
    std::shared_ptr<Batch> batch;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            throw std::runtime_error("the inbox writer has stopped");
        }
        batch = m_open;
        batch->requests.push_back(&request);
    }
    m_work_ready.notify_one();
    // The writer fills in `request` before it sets the flag, and never touches it after.
    while (batch->committed.load(std::memory_order_acquire) == 0) {
        futex_wait_while_zero(batch->committed);
    }
    if (request.error) {
        std::rethrow_exception(request.error);
    }
    return std::move(request.outcomes);
}

void InboxWriter::write_async(std::vector<InboxRecord> records, Completion done) {
    auto request = std::make_unique<Request>();
    request->owned_records = std::move(records);
    request->records = &request->owned_records;
    request->done = std::move(done);
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_open->requests.push_back(request.release());
            m_work_ready.notify_one();
            return;
        }
    }
    request->done(request->owned_records, {}, std::make_exception_ptr(std::runtime_error("the inbox writer has stopped")));
}

void InboxWriter::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            return;
        }
        m_stopping = true;
    }
    m_work_ready.notify_one();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

std::uint64_t InboxWriter::commits() const {
    return m_commits.load(std::memory_order_relaxed);
}

void InboxWriter::run() {
    for (;;) {
        std::shared_ptr<Batch> batch;
        {
            std::unique_lock lock(m_mutex);
            // No fixed wait: whatever queued while the previous commit ran forms the batch.
            m_work_ready.wait(lock, [&] { return m_stopping || !m_open->requests.empty(); });
            if (m_open->requests.empty()) {
                return; // stopping, and nothing is left to commit
            }
            batch = std::exchange(m_open, std::make_shared<Batch>());
        }
        commit_batch(*batch);
        m_commits.fetch_add(1, std::memory_order_relaxed);
        for (Request*& request : batch->requests) {
            if (request->done) {
                const std::unique_ptr<Request> owned(std::exchange(request, nullptr));
                owned->done(owned->owned_records, std::move(owned->outcomes), owned->error);
            }
        }
        batch->committed.store(1, std::memory_order_release);
        futex_wake_all(batch->committed);
    }
}

void InboxWriter::commit_batch(Batch& batch) {
    bool stored_pending = false;
    try {
        const auto gate = m_gate.enter_with_priority();
        SQLite::Transaction transaction(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        for (Request* request : batch.requests) {
            request->outcomes.reserve(request->records->size());
            for (const InboxRecord& record : *request->records) {
                InsertOutcome outcome = m_store->insert(record);
                stored_pending |= outcome == InsertOutcome::stored && record.state == InboxState::pending;
                request->outcomes.push_back(outcome);
            }
        }
        transaction.commit();
    } catch (...) {
        // The transaction rolled back: nothing of this batch is stored, and every request
        // in it learns so (its caller answers 5xx and the platform delivers again).
        std::exception_ptr error = std::current_exception();
        for (Request* request : batch.requests) {
            request->outcomes.clear();
            request->error = error;
        }
        return;
    }
    if (stored_pending && m_on_commit) {
        m_on_commit();
    }
}

} // namespace pheu::store
