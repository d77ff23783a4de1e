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
//
// Going first is not enough under a sustained burst: between two inbox commits the worker
// enters, and its batch (many events, then an fsync) is what the next inbox commit waits
// for. So the bulk writers, the worker and the scheduler, share the gate: after a bulk pass
// that a priority writer waited for, or arrived during, the next bulk pass waits the pass's
// backoff (`k_bulk_backoff` unless it asked for another) times as long as that pass held the
// gate. Under contention a bulk writer then holds the gate at most 1 / (1 + backoff) of the
// time; without contention it never waits, and it still makes progress, so lag stays
// bounded. The worker asks for a smaller backoff when its shoppers wait
// (bot/worker/gate_share.h). Ordinary writers (the dispatcher's short claims and records,
// tokens, admin changes) neither wait for nor cause the backoff: every message sent brings an
// echo webhook, and a dispatcher held back by those echoes sent 40 messages a second.
// (Lowering the worker's CPU priority instead, as before, backfired: at nice 10 a worker
// holding the gate got little CPU among the request threads, and the inbox waited on it.)
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace pheu::store {

class WriteGate {
public:
    using Clock = std::chrono::steady_clock;
    // Measured at 64 webhook connections on 2 cores: 3 gave 10k acknowledgements a second,
    // 8 gave 13k; beyond, no gain, only more lag.
    static constexpr int k_bulk_backoff = 8;
    static constexpr int k_not_bulk = -1;

    class Pass {
    public:
        Pass(Pass&& other) noexcept
            : m_gate(other.m_gate), m_backoff(other.m_backoff), m_entered(other.m_entered),
              m_priority_arrivals(other.m_priority_arrivals) {
            other.m_gate = nullptr;
        }
        Pass(const Pass&) = delete;
        Pass& operator=(const Pass&) = delete;
        Pass& operator=(Pass&&) = delete;
        ~Pass() {
            if (m_gate != nullptr) {
                m_gate->leave(*this);
            }
        }

    private:
        friend class WriteGate;
        Pass(WriteGate& gate, int backoff, Clock::time_point entered, std::uint64_t priority_arrivals)
            : m_gate(&gate), m_backoff(backoff), m_entered(entered), m_priority_arrivals(priority_arrivals) {}

        WriteGate* m_gate;
        int m_backoff; // k_not_bulk for a pass that neither waits for nor causes a backoff
        Clock::time_point m_entered;
        std::uint64_t m_priority_arrivals; // the gate's count when this pass entered
    };

    [[nodiscard]] Pass enter() {
        std::unique_lock lock(m_mutex);
        wait_turn(lock);
        m_held = true;
        return Pass(*this, k_not_bulk, Clock::now(), m_priority_arrivals);
    }

    // For the worker and the scheduler: also waits out the backoff of the last contended
    // bulk pass. This pass's own backoff, should a priority writer wait for it, is `backoff`
    // times as long as it holds the gate.
    [[nodiscard]] Pass enter_bulk(int backoff = k_bulk_backoff) {
        std::unique_lock lock(m_mutex);
        for (;;) {
            wait_turn(lock);
            if (Clock::now() >= m_bulk_not_before) {
                break;
            }
            m_free.wait_until(lock, m_bulk_not_before);
        }
        m_held = true;
        return Pass(*this, backoff, Clock::now(), m_priority_arrivals);
    }

    [[nodiscard]] Pass enter_with_priority() {
        std::unique_lock lock(m_mutex);
        ++m_priority_arrivals;
        m_priority_waiting.fetch_add(1, std::memory_order_relaxed);
        m_free.wait(lock, [&] { return !m_held; });
        m_priority_waiting.fetch_sub(1, std::memory_order_relaxed);
        m_held = true;
        return Pass(*this, k_not_bulk, Clock::now(), m_priority_arrivals);
    }

    // True while a priority writer waits: a holder in the middle of a long batch commits
    // what it has and leaves.
    [[nodiscard]] bool priority_waiting() const { return m_priority_waiting.load(std::memory_order_relaxed) > 0; }

private:
    void wait_turn(std::unique_lock<std::mutex>& lock) {
        m_free.wait(lock, [&] { return !m_held && m_priority_waiting.load(std::memory_order_relaxed) == 0; });
    }

    void leave(const Pass& pass) {
        {
            std::lock_guard lock(m_mutex);
            m_held = false;
            if (pass.m_backoff != k_not_bulk && m_priority_arrivals != pass.m_priority_arrivals) {
                const Clock::time_point now = Clock::now();
                m_bulk_not_before = now + pass.m_backoff * (now - pass.m_entered);
            }
        }
        m_free.notify_all();
    }

    std::mutex m_mutex;
    std::condition_variable m_free;
    bool m_held = false;
    std::atomic<int> m_priority_waiting{0};
    std::uint64_t m_priority_arrivals = 0; // priority entries so far, to see contention
    Clock::time_point m_bulk_not_before{};
};

} // namespace pheu::store
