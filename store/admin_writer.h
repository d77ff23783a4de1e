#pragma once
// The admin API's one writing connection: each call runs in its own write transaction,
// behind the process's write gate like every other writer, and is durable when it returns.
#include "store/sql/connection.h"
#include "store/write_gate.h"

#include <memory>
#include <mutex>
#include <string>

namespace pheu::store {

class AdminWriter {
public:
    AdminWriter(const std::string& database_path, WriteGate& gate)
        : m_db(sql::open_connection(database_path, Sync::full)), m_gate(gate) {}

    // Runs `work(db)` in a transaction and commits it; an exception rolls it back.
    template <typename Work> auto write(Work&& work) {
        std::lock_guard connection(m_mutex);
        const auto gate = m_gate.enter();
        sql::Transaction transaction(*m_db);
        if constexpr (std::is_void_v<decltype(work(*m_db))>) {
            work(*m_db);
            transaction.commit();
        } else {
            auto result = work(*m_db);
            transaction.commit();
            return result;
        }
    }

private:
    std::unique_ptr<sql::Connection> m_db;
    WriteGate& m_gate;
    std::mutex m_mutex;
};

} // namespace pheu::store
