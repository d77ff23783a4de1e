#pragma once
// Copies the write-ahead log back into the database file, beside the writers.
//
// SQLite's own checkpoint runs inside the commit that takes the log past 1,000 pages, on
// whichever connection made it. Under a webhook burst that was the inbox writer about every
// tenth of a second: its commit, and every webhook answer waiting on it, also copied 4 MB
// into the database file and synced it. The server runs `checkpoint_once` on a thread of its
// own instead (app/application.cpp); a passive checkpoint takes no write lock, so the writers
// go on. The connections keep SQLite's checkpoint only as a backstop at a much longer log
// (see open_database).
//
// A passive checkpoint cannot finish while writers keep appending, and SQLite starts the log
// over from the beginning only once all of it has been copied: under a long burst the log
// would grow without end. So once it is longer than `k_restart_frames`, the checkpoint is
// finished inside the write gate, where only the frames added meanwhile are left to copy.
//
// That pass must not sync much either. A passive pass that stops short of the end of the log
// writes its pages into the database file without syncing it (SQLite syncs the file only
// when a pass copies the whole log, which is the gated one), and syncing the 16 MiB copied
// since the log last started over took 11-42 ms inside the gate, with every webhook answer
// waiting. So each pass starts the writeback of what it copied, and the file is synced
// outside the gate just before it: the gated pass then syncs only its own few pages
// (measured 1-7 ms). At 64 webhook connections on 2 cores the server-side p99 moved from
// the 25 ms bucket to the 10 ms one in most runs.
#include "store/write_gate.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace SQLite {
class Database;
}

namespace pheu::store {

class WalCheckpointer {
public:
    // Log frames (pages) past which a checkpoint finishes inside the gate: 16 MiB.
    static constexpr int k_restart_frames = 4096;

    WalCheckpointer(const std::string& database_path, WriteGate& gate);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    // A passive checkpoint, finished inside the gate when the log has grown past
    // `k_restart_frames`. From one thread at a time.
    void checkpoint_once();

    // Passive checkpoints run, and of those the ones that had to finish inside the gate.
    std::uint64_t checkpoints() const { return m_checkpoints.load(std::memory_order_relaxed); }
    std::uint64_t gated_checkpoints() const { return m_gated.load(std::memory_order_relaxed); }

private:
    void start_writeback() const;
    void sync_database_file() const;

    std::unique_ptr<SQLite::Database> m_db;
    WriteGate& m_gate;
    int m_database_fd; // the database file, read-only, to start its writeback early
    std::atomic<std::uint64_t> m_checkpoints{0};
    std::atomic<std::uint64_t> m_gated{0};
};

} // namespace pheu::store
