#pragma once
// cpp-httplib's task queue, grown on demand. A pool thread serves one keep-alive connection
// until it closes, so a fixed pool is exhausted by as many idle or slow connections as it
// has threads (500 slow-loris clients stalled every webhook behind them). This pool starts
// `core` threads and adds one whenever work arrives with none idle, up to `max`; past that,
// connections wait their turn. Threads that were added stay (idle, they cost only their
// stack) so a later burst finds them ready.
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pheu::handlers {

class ElasticThreadPool final : public httplib::TaskQueue {
public:
    ElasticThreadPool(std::size_t core, std::size_t max);
    ~ElasticThreadPool() override;

    void enqueue(std::function<void()> task) override;
    void shutdown() override;

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
