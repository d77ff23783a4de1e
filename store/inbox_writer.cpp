#include "store/inbox_writer.h"

#include "store/database.h"
#include "store/inbox_store.h"

#include <SQLiteCpp/Transaction.h>

#include <stdexcept>

namespace pheu::store {

InboxWriter::InboxWriter(const std::string& database_path, WriteGate& gate, std::function<void()> on_commit)
    : m_db(open_database(database_path)), m_store(std::make_unique<InboxStore>(*m_db)), m_gate(gate),
      m_on_commit(std::move(on_commit)), m_thread([this] { run(); }) {}

InboxWriter::~InboxWriter() {
    stop();
}

std::vector<InsertOutcome> InboxWriter::write(const std::vector<InboxRecord>& records) {
    Request request;
    request.records = &records;
    std::unique_lock lock(m_mutex);
    if (m_stopping) {
        throw std::runtime_error("the inbox writer has stopped");
    }
    m_queue.push_back(&request);
    m_work_ready.notify_one();
    request.stored.wait(lock, [&] { return request.done; });
    if (request.error) {
        std::rethrow_exception(request.error);
    }
    return std::move(request.outcomes);
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
    std::lock_guard lock(m_mutex);
    return m_commits;
}

void InboxWriter::run() {
    std::vector<Request*> batch;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            // No fixed wait: whatever queued while the previous commit ran forms the batch.
            m_work_ready.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) {
                return; // stopping, and nothing is left to commit
            }
            batch.swap(m_queue);
        }
        commit_batch(batch);
        {
            std::lock_guard lock(m_mutex);
            for (Request* request : batch) {
                request->done = true;
                request->stored.notify_one();
            }
            ++m_commits;
        }
        batch.clear();
    }
}

void InboxWriter::commit_batch(std::vector<Request*>& batch) {
    bool stored_pending = false;
    try {
        const auto gate = m_gate.enter_with_priority();
        SQLite::Transaction transaction(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        for (Request* request : batch) {
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
        for (Request* request : batch) {
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
