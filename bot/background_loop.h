#pragma once
// A thread that runs one pass of work again and again: at once when the pass says more is
// waiting, otherwise after an idle interval or as soon as someone wakes it. The processing
// worker, the stage scheduler, the delivery dispatcher and the WAL checkpoint loop are all
// this shape.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace pheu::bot {

class BackgroundLoop {
public:
    // `pass` returns true when more work is waiting. An exception from it is logged with
    // `name` and the pass is tried again after the idle interval.
    BackgroundLoop(std::string name, std::chrono::milliseconds idle, std::function<bool()> pass);
    ~BackgroundLoop();
    BackgroundLoop(const BackgroundLoop&) = delete;
    BackgroundLoop& operator=(const BackgroundLoop&) = delete;

    void start();
    // Lets the running pass finish, then stops.
    void stop();
    void wake();

private:
    void run();

    std::string m_name;
    std::chrono::milliseconds m_idle;
    std::function<bool()> m_pass;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_woken = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace pheu::bot
