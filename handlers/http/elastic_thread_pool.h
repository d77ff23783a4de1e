#pragma once
// The threads that run the blocking handlers (the admin API, reports, the console, the
// Mini App's calls to Zalo), grown on demand: it starts `core` threads and adds one
// whenever work arrives with none idle, up to `max`; past that, requests wait their turn.
// Threads that were added stay (idle, they cost only their stack) so a later burst finds
// them ready. Connections are not tied to these threads: the event loops hold those.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pheu::handlers {

class ElasticThreadPool final {
public:
    ElasticThreadPool(std::size_t core, std::size_t max);
    ~ElasticThreadPool();
    ElasticThreadPool(const ElasticThreadPool&) = delete;
    ElasticThreadPool& operator=(const ElasticThreadPool&) = delete;

    void enqueue(std::function<void()> task);
    // Runs the tasks already queued, then ends the threads. Later tasks are dropped.
    void shutdown();

    std::size_t thread_count() const;

private:
    void spawn_locked();
    void run();

    const std::size_t m_max;
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<std::function<void()>> m_tasks;
    std::vector<std::thread> m_threads;
    std::size_t m_idle = 0;
    bool m_shutting_down = false;
    std::chrono::steady_clock::time_point m_last_full_warning{};
};

} // namespace pheu::handlers
