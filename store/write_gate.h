#pragma once
// SQLite admits one writer at a time. A connection that finds the write lock taken waits in
// SQLite's busy handler, which sleeps in steps of up to 100 ms: under load the inbox writer
// then stalls behind the processing worker for far longer than the worker's commit takes.
// Every writing connection of this process holds the gate for its write transaction
// instead, so a waiter wakes the moment the other one commits.
//
// The inbox writer enters with priority: webhook answers wait on its commit, while the
// worker, the scheduler and the dispatcher only add lag. A priority waiter goes before any
// ordinary one, and long holders poll `priority_waiting()` to commit early and let it in.
#include <atomic>
#include <condition_variable>
#include <mutex>

namespace pheu::store {

class WriteGate {
public:
    class Pass {
    public:
        explicit Pass(WriteGate& gate) : m_gate(&gate) {}
        Pass(Pass&& other) noexcept : m_gate(other.m_gate) { other.m_gate = nullptr; }
        Pass(const Pass&) = delete;
        Pass& operator=(const Pass&) = delete;
        Pass& operator=(Pass&&) = delete;
        ~Pass() {
            if (m_gate != nullptr) {
                m_gate->leave();
            }
        }

    private:
        WriteGate* m_gate;
    };

    [[nodiscard]] Pass enter() {
        std::unique_lock lock(m_mutex);
        m_free.wait(lock, [&] { return !m_held && m_priority_waiting == 0; });
        m_held = true;
        return Pass(*this);
    }

    [[nodiscard]] Pass enter_with_priority() {
        std::unique_lock lock(m_mutex);
        m_priority_waiting.fetch_add(1, std::memory_order_relaxed);
        m_free.wait(lock, [&] { return !m_held; });
        m_priority_waiting.fetch_sub(1, std::memory_order_relaxed);
        m_held = true;
        return Pass(*this);
    }

    // True while a priority writer waits: a holder in the middle of a long batch commits
    // what it has and leaves.
    [[nodiscard]] bool priority_waiting() const { return m_priority_waiting.load(std::memory_order_relaxed) > 0; }

private:
    void leave() {
        {
            std::lock_guard lock(m_mutex);
            m_held = false;
        }
        m_free.notify_all();
    }

    std::mutex m_mutex;
    std::condition_variable m_free;
    bool m_held = false;
    std::atomic<int> m_priority_waiting{0};
};

} // namespace pheu::store
