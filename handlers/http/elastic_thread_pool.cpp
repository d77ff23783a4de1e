#include "handlers/http/elastic_thread_pool.h"

#include "common/thread_name.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace pheu::handlers {

namespace {
constexpr auto k_warning_interval = std::chrono::seconds(60);
} // namespace

ElasticThreadPool::ElasticThreadPool(std::size_t core, std::size_t max) : m_max(std::max<std::size_t>(max, 1)) {
    std::lock_guard lock(m_mutex);
    for (std::size_t i = 0; i < std::min(core, m_max); ++i) {
        spawn_locked();
    }
}

ElasticThreadPool::~ElasticThreadPool() {
    shutdown();
}

void ElasticThreadPool::spawn_locked() {
    m_threads.emplace_back([this] {
        common::name_this_thread("http-handler");
        run();
    });
}

void ElasticThreadPool::enqueue(std::function<void()> task) {
    {
        std::lock_guard lock(m_mutex);
        if (m_shutting_down) {
            return;
        }
        m_tasks.push_back(std::move(task));
        // Every idle thread already has a task waiting for it: one more is needed.
        if (m_idle < m_tasks.size()) {
            if (m_threads.size() < m_max) {
                spawn_locked();
            } else if (const auto now = std::chrono::steady_clock::now();
                       now - m_last_full_warning > k_warning_interval) {
                m_last_full_warning = now;
                spdlog::warn("http: all {} threads are busy; requests wait (raise http.max_threads)", m_max);
            }
        }
    }
    m_ready.notify_one();
}

void ElasticThreadPool::shutdown() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        m_shutting_down = true;
        threads.swap(m_threads);
    }
    m_ready.notify_all();
    for (auto& thread : threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
}

std::size_t ElasticThreadPool::thread_count() const {
    std::lock_guard lock(m_mutex);
    return m_threads.size();
}

void ElasticThreadPool::run() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(m_mutex);
            ++m_idle;
            m_ready.wait(lock, [&] { return m_shutting_down || !m_tasks.empty(); });
            --m_idle;
            // Tasks queued before shutdown still run: each is a request waiting for its answer.
            if (m_tasks.empty()) {
                return;
            }
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        task();
    }
}

} // namespace pheu::handlers
