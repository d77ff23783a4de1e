#pragma once
// Copies the write-ahead log back into the database file on a thread of its own.
//
// SQLite's own checkpoint runs inside the commit that takes the log past 1,000 pages, on
// whichever connection made it. Under a webhook burst that was the inbox writer about every
// tenth of a second: its commit, and every webhook answer waiting on it, also copied 4 MB
// into the database file and synced it. Here the copying happens beside the writers
// (a passive checkpoint takes no write lock), and the connections keep SQLite's checkpoint
// only as a backstop at a much longer log (see open_database).
//
// A passive checkpoint cannot finish while writers keep appending, and SQLite starts the log
// over from the beginning only once all of it has been copied: under a long burst the log
// would grow without end. So once it is longer than `k_restart_frames`, the checkpointer
// finishes inside the write gate, where it only has the frames of the last interval left.
#include "store/write_gate.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace SQLite {
class Database;
}

namespace pheu::store {

class WalCheckpointer {
public:
    // Log frames (pages) past which a checkpoint finishes inside the gate: 16 MiB.
    static constexpr int k_restart_frames = 4096;

    WalCheckpointer(const std::string& database_path, WriteGate& gate, std::chrono::milliseconds interval);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    void start();
    // Stops the thread (closing the last connection checkpoints what is left).
    void stop();

    // Checkpoints that copied something, and those that had to finish inside the gate.
    std::uint64_t checkpoints() const { return m_checkpoints.load(std::memory_order_relaxed); }
    std::uint64_t gated_checkpoints() const { return m_gated.load(std::memory_order_relaxed); }

    // One round, as the thread runs it: a passive checkpoint, finished inside the gate when
    // the log has grown past `k_restart_frames`. Public for tests.
    void checkpoint_once();

private:
    void run();

    std::unique_ptr<SQLite::Database> m_db;
    WriteGate& m_gate;
    const std::chrono::milliseconds m_interval;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::atomic<std::uint64_t> m_checkpoints{0};
    std::atomic<std::uint64_t> m_gated{0};
    std::thread m_thread;
};

} // namespace pheu::store
