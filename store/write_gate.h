#pragma once
// SQLite admits one writer at a time. A connection that finds the write lock taken waits in
// SQLite's busy handler, which sleeps in steps of up to 100 ms: under load the inbox writer
// then stalls behind the processing worker for far longer than the worker's commit takes.
// Every writing connection of this process holds the gate for its write transaction
// instead, so a waiter wakes the moment the other one commits.
#include <mutex>

namespace pheu::store {

class WriteGate {
public:
    [[nodiscard]] std::unique_lock<std::mutex> enter() { return std::unique_lock<std::mutex>(m_mutex); }

private:
    std::mutex m_mutex;
};

} // namespace pheu::store
