#include "store/wal_checkpointer.h"

#include "store/database.h"

#include <SQLiteCpp/Database.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace pheu::store {

namespace {

struct LogState {
    int result = SQLITE_OK;
    int frames = 0; // in the log since it last started over
};

LogState passive_checkpoint(SQLite::Database& db) {
    LogState state;
    state.result =
        sqlite3_wal_checkpoint_v2(db.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &state.frames, nullptr);
    return state;
}

} // namespace

WalCheckpointer::WalCheckpointer(const std::string& database_path, WriteGate& gate)
    : m_db(open_database(database_path)), m_gate(gate),
      m_database_fd(::open(database_path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (m_database_fd < 0) {
        spdlog::warn("wal checkpoint: cannot open {} to start its writeback early; SQLite's own sync does it all",
                     database_path);
    }
}

WalCheckpointer::~WalCheckpointer() {
    if (m_database_fd >= 0) {
        ::close(m_database_fd);
    }
}

void WalCheckpointer::start_writeback() const {
    if (m_database_fd >= 0) {
        // Only starts writing the dirty pages out: no wait, and no cache flush of the device.
        ::sync_file_range(m_database_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    }
}

void WalCheckpointer::sync_database_file() const {
    if (m_database_fd >= 0 && ::fdatasync(m_database_fd) != 0) {
        spdlog::warn("wal checkpoint: syncing the database file failed (errno {}); the gated pass syncs it", errno);
    }
}

void WalCheckpointer::checkpoint_once() {
    LogState state = passive_checkpoint(*m_db);
    if (state.result == SQLITE_BUSY) {
        return; // another connection is checkpointing (SQLite's backstop): it does the work
    }
    if (state.result != SQLITE_OK) {
        spdlog::warn("wal checkpoint failed: {}", sqlite3_errstr(state.result));
        return;
    }
    m_checkpoints.fetch_add(1, std::memory_order_relaxed);
    if (state.frames > 0) {
        start_writeback();
    }
    if (state.frames <= k_restart_frames) {
        return;
    }
    sync_database_file();
    // Writers appended while the log was copied. With the gate held none can, so this pass
    // copies only what they added and the next writer starts the log over.
    const auto pass = m_gate.enter();
    state = passive_checkpoint(*m_db);
    if (state.result == SQLITE_OK) {
        m_gated.fetch_add(1, std::memory_order_relaxed);
    }
}

} // namespace pheu::store
