#pragma once
// Sends the shop's broadcasts: starts each when its moment comes (copying its segment's
// filter and counting the audience), walks the audience in customer id order a chunk per
// transaction, and marks it done once every message has an outcome.
//
// Each chunk's messages, their broadcast_sends rows and the progress are one commit, and
// each message has its own idempotency key: a crash anywhere loses nothing and sends nobody
// twice, and a restart goes on after the last customer committed. New messages are decided
// only while few of the broadcast's are still waiting for delivery, so a broadcast goes out at
// the pace the dispatcher delivers (within the platforms' rates) and shoppers' replies never
// queue behind a hundred thousand promotions.
#include "bot/background_loop.h"
#include "bot/worker/pipeline.h"
#include "store/broadcast_store.h"

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store::sql {
class Connection;
}
namespace pheu::store {
class WriteGate;
}

namespace pheu::bot {

class BroadcastSender {
public:
    using Clock = std::function<std::int64_t()>;

    BroadcastSender(const std::string& database_path, store::WriteGate& gate, Clock clock, std::int64_t interval_ms,
                    const PipelineOptions& pipeline);
    ~BroadcastSender();
    BroadcastSender(const BroadcastSender&) = delete;
    BroadcastSender& operator=(const BroadcastSender&) = delete;

    void start();
    void stop();
    // A broadcast was created, resumed or paused: look now.
    void notify();

    // The broadcast's message to one customer now, as a test (PlaybookRunner's
    // BroadcastMessage::test), decided on this thread's connection at its next pass. The
    // future holds the message written, or nothing for an unknown broadcast or customer.
    std::future<std::optional<store::WrittenMessage>> test(std::int64_t broadcast_id, std::int64_t customer_id);

    // One transaction: starts what is due, finishes what is delivered, decides one chunk.
    // True when another chunk is ready to be decided at once.
    bool pass();

private:
    struct TestRequest {
        std::int64_t broadcast_id = 0;
        std::int64_t customer_id = 0;
        std::promise<std::optional<store::WrittenMessage>> answer;
    };
    void run_tests(std::vector<TestRequest>& tests, std::int64_t now);

    std::mutex m_tests_mutex;
    std::vector<TestRequest> m_tests; // waiting for the next pass
    std::unique_ptr<store::sql::Connection> m_db;
    std::unique_ptr<Pipeline> m_pipeline;
    store::WriteGate& m_gate;
    Clock m_clock;
    std::function<void()> m_outbox_changed;
    BackgroundLoop m_loop;
};

} // namespace pheu::bot
