#include "bot/delivery/attempt_marks.h"

#include "store/database.h"
#include "store/delivery_store.h"
#include "store/write_gate.h"

#include <stdexcept>

namespace pheu::bot {

AttemptMarks::AttemptMarks(const std::string& database_path, store::WriteGate& gate, Clock clock, std::string instance)
    // Synced by sync_log after each commit, once the write gate is free (store/database.h).
    : m_db(store::sql::open_connection(database_path, store::Sync::normal)), m_store(*m_db), m_gate(gate),
      m_clock(std::move(clock)), m_instance(std::move(instance)) {}

AttemptMarks::~AttemptMarks() = default;

bool AttemptMarks::mark(std::int64_t id) {
    std::unique_lock lock(m_mutex);
    const std::uint64_t ticket = ++m_asked;
    m_waiting.push_back(id);
    while (m_done < ticket) {
        if (m_committing) {
            m_committed.wait(lock);
            continue;
        }
        // Nobody is writing: this sender writes every mark waiting, its own among them.
        m_committing = true;
        const std::vector<std::int64_t> group = std::move(m_waiting);
        m_waiting.clear();
        const std::uint64_t first = m_done + 1;
        const std::uint64_t last = m_asked;
        lock.unlock();
        const Committed committed = commit(group);
        lock.lock();
        if (!committed.error.empty()) {
            for (std::uint64_t failed = first; failed <= last; ++failed) {
                m_failed.emplace(failed, committed.error);
            }
        } else {
            for (const std::int64_t asked : group) {
                if (!committed.marked.contains(asked)) {
                    m_lost.insert(asked);
                }
            }
        }
        m_done = last;
        m_committing = false;
        m_committed.notify_all();
    }
    if (const auto failed = m_failed.find(ticket); failed != m_failed.end()) {
        const std::string error = failed->second;
        m_failed.erase(failed);
        throw std::runtime_error(error);
    }
    return m_lost.erase(id) == 0;
}

AttemptMarks::Committed AttemptMarks::commit(const std::vector<std::int64_t>& ids) {
    try {
        Committed committed;
        {
            const auto gate = m_gate.enter();
            store::sql::Transaction transaction(*m_db);
            committed.marked = m_store.mark_attempted(ids, m_clock(), m_instance);
            transaction.commit();
        }
        // On disk before any of these requests may go out.
        m_db->make_commits_durable();
        return committed;
    } catch (const std::exception& error) {
        return {.error = error.what(), .marked = {}};
    }
}

} // namespace pheu::bot
