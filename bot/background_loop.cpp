#include "bot/background_loop.h"

#include "common/thread_name.h"

#include <spdlog/spdlog.h>

namespace pheu::bot {

BackgroundLoop::BackgroundLoop(std::string name, std::chrono::milliseconds idle, std::function<bool()> pass)
    : m_name(std::move(name)), m_idle(idle), m_pass(std::move(pass)) {}

BackgroundLoop::~BackgroundLoop() {
    stop();
}

void BackgroundLoop::start() {
    m_thread = std::thread([this] {
        common::name_this_thread(m_name);
        run();
    });
}

void BackgroundLoop::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void BackgroundLoop::wake() {
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_wake.notify_one();
}

void BackgroundLoop::run() {
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping) {
                return;
            }
            m_woken = false;
        }
        bool more = false;
        try {
            more = m_pass();
        } catch (const std::exception& error) {
            // A database fault (disk full, I/O error): nothing of the pass was committed,
            // so it is simply tried again.
            spdlog::error("{}: pass failed and will be retried: {}", m_name, error.what());
        }
        if (more) {
            continue;
        }
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, m_idle, [&] { return m_stopping || m_woken; });
    }
}

} // namespace pheu::bot
