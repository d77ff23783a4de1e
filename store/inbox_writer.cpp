#include "store/inbox_writer.h"

#include "store/database.h"
#include "store/inbox_store.h"
#include "common/thread_name.h"

#include <future>
#include <stdexcept>
#include <utility>

namespace pheu::store {

namespace {

// How often a batch runs when the database ends it for a conflict (PostgreSQL) before its
// requests are failed.
constexpr int k_batch_attempts = 5;
std::string description_of(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& failure) {
        return failure.what();
    } catch (...) {
        return "an unknown error";
    }
}
} // namespace

InboxWriter::InboxWriter(const std::string& database_path, WriteGate& gate, UnsettledKeys& unsettled,
                         std::function<void()> on_commit)
    // Synced by sync_log after each commit, once the write gate is free (store/database.h).
    : m_db(sql::open_connection(database_path, Sync::normal)), m_store(std::make_unique<InboxStore>(*m_db)),
      m_gate(gate), m_unsettled(unsettled), m_on_commit(std::move(on_commit)) {
    // Before the first write: a redelivery of an event that was pending when the server
    // stopped must find its key.
    if (m_db->backend() == sql::Backend::sqlite) {
        m_unsettled.add_all(m_store->pending_keys());
    }
    m_thread = std::thread([this] {
        common::name_this_thread("inbox-writer");
        run();
    });
}

InboxWriter::~InboxWriter() {
    stop();
}

std::vector<InsertOutcome> InboxWriter::write(const std::vector<InboxRecord>& records) {
    std::promise<std::vector<InsertOutcome>> promise;
    std::future<std::vector<InsertOutcome>> stored = promise.get_future();
    write_async(records, [&promise](const std::vector<InboxRecord>&, std::vector<InsertOutcome> outcomes,
                                    std::exception_ptr error) {
        if (error) {
            promise.set_exception(error);
        } else {
            promise.set_value(std::move(outcomes));
        }
    });
    return stored.get();
}

void InboxWriter::write_async(std::vector<InboxRecord> records, Completion done) {
    auto request = std::make_unique<Request>();
    request->records = std::move(records);
    request->done = std::move(done);
    enqueue(std::move(request));
}

void InboxWriter::enqueue(std::unique_ptr<Request> request) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back(std::move(request));
            m_work_ready.notify_one();
            return;
        }
    }
    request->done(request->records, {}, std::make_exception_ptr(std::runtime_error("the inbox writer has stopped")));
}

std::optional<std::string> InboxWriter::commit_failure() const {
    std::lock_guard lock(m_mutex);
    return m_failure;
}

bool InboxWriter::probe(std::chrono::milliseconds timeout) {
    auto committed = std::make_shared<std::promise<bool>>();
    std::future<bool> result = committed->get_future();
    auto request = std::make_unique<Request>();
    request->probe = true;
    request->done = [committed](const std::vector<InboxRecord>&, std::vector<InsertOutcome>, std::exception_ptr error) {
        committed->set_value(error == nullptr);
    };
    enqueue(std::move(request));
    return result.wait_for(timeout) == std::future_status::ready && result.get();
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
    Batch batch;
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
        m_commits.fetch_add(1, std::memory_order_relaxed);
        for (const auto& request : batch) {
            request->done(request->records, std::move(request->outcomes), request->error);
        }
        batch.clear();
    }
}

void InboxWriter::commit_batch(Batch& batch) {
    bool stored_pending = false;
    std::vector<std::string> keys_added;
    for (int attempt = 1;; ++attempt) {
        try {
            const auto gate = m_gate.enter_with_priority();
            sql::Transaction transaction(*m_db);
            if (m_db->backend() == sql::Backend::postgresql) {
                stored_pending = append_to_shared_inbox(batch);
            } else {
                for (const auto& request : batch) {
                    if (request->probe) {
                        write_probe();
                        continue;
                    }
                    request->outcomes.reserve(request->records.size());
                    for (const InboxRecord& record : request->records) {
                        InsertOutcome outcome = append_unless_known(record, keys_added);
                        stored_pending |= outcome == InsertOutcome::stored && record.state == InboxState::pending;
                        request->outcomes.push_back(outcome);
                    }
                }
            }
            transaction.commit();
            break;
        } catch (...) {
            // The transaction rolled back: nothing of this batch is stored.
            m_unsettled.remove(keys_added);
            keys_added.clear();
            stored_pending = false;
            for (const auto& request : batch) {
                request->outcomes.clear();
            }
            // On PostgreSQL two instances' batches can hold each other's keys, in opposite
            // orders, and the database ends one of them (a deadlock): it runs again. Any other
            // failure, or one that keeps coming, reaches every request in the batch (its
            // caller answers 5xx and the platform delivers again).
            if (!is_worth_retrying(std::current_exception()) || attempt >= k_batch_attempts) {
                fail_batch(batch, std::current_exception());
                return;
            }
        }
    }
    // The gate is free: the worker may decide these events while the disk takes them. A
    // message sent on their strength first syncs the same log (bot/delivery/attempt_marks.h),
    // so no shopper hears of an event a power cut could still take back; a stage tag set
    // before that would be set again, harmlessly, when the platform delivers the event again.
    if (stored_pending && m_on_commit) {
        m_on_commit();
    }
    try {
        m_db->make_commits_durable();
    } catch (...) {
        // Committed, but maybe not on disk: nobody is told it is stored. The platform
        // delivers again and finds the key (an event decided already is not decided twice).
        fail_batch(batch, std::current_exception());
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_failure.reset();
    }
}

bool InboxWriter::is_worth_retrying(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const sql::Error& failure) {
        return failure.failure() == sql::Failure::retry;
    } catch (...) {
        return false;
    }
}

void InboxWriter::fail_batch(Batch& batch, const std::exception_ptr& error) {
    {
        std::lock_guard lock(m_mutex);
        m_failure = description_of(error);
    }
    for (const auto& request : batch) {
        request->outcomes.clear();
        request->error = error;
    }
}

// Inside the batch's write transaction, so the worker commits nothing in between: the order
// of the two lookups is what store/unsettled_keys.h argues is safe.
void InboxWriter::write_probe() {
    m_store->write_probe(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

bool InboxWriter::append_to_shared_inbox(Batch& batch) {
    std::vector<const InboxRecord*> records;
    for (const auto& request : batch) {
        if (request->probe) {
            write_probe();
            continue;
        }
        for (const InboxRecord& record : request->records) {
            records.push_back(&record);
        }
    }
    // The unique key finds a redelivery, whichever pheu instance stored the first copy.
    const std::vector<bool> stored = m_store->append_new(records);
    bool stored_pending = false;
    std::size_t next = 0;
    for (const auto& request : batch) {
        if (request->probe) {
            continue;
        }
        request->outcomes.reserve(request->records.size());
        for (const InboxRecord& record : request->records) {
            const bool new_event = stored[next++];
            stored_pending |= new_event && record.state == InboxState::pending;
            request->outcomes.push_back(new_event ? InsertOutcome::stored : InsertOutcome::duplicate);
        }
    }
    return stored_pending;
}

InsertOutcome InboxWriter::append_unless_known(const InboxRecord& record, std::vector<std::string>& keys_added) {
    if (record.state != InboxState::pending) {
        // Already settled as it arrives (a rejected body): its key goes straight to the table.
        if (m_unsettled.contains(record.dedupe_key) || m_store->is_settled(record.dedupe_key)) {
            return InsertOutcome::duplicate;
        }
        m_store->settle(record.dedupe_key, m_store->append(record));
        return InsertOutcome::stored;
    }
    if (!m_unsettled.add(record.dedupe_key)) {
        return InsertOutcome::duplicate; // pending, or earlier in this batch
    }
    keys_added.push_back(record.dedupe_key);
    if (m_store->is_settled(record.dedupe_key)) {
        keys_added.pop_back();
        m_unsettled.remove({record.dedupe_key});
        return InsertOutcome::duplicate;
    }
    m_store->append(record);
    return InsertOutcome::stored;
}

} // namespace pheu::store
