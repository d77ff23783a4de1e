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

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace SQLite {
class Database;
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

    // One transaction: starts what is due, finishes what is delivered, decides one chunk.
    // True when another chunk is ready to be decided at once.
    bool pass();

private:
    std::unique_ptr<SQLite::Database> m_db;
    std::unique_ptr<Pipeline> m_pipeline;
    store::WriteGate& m_gate;
    Clock m_clock;
    std::function<void()> m_outbox_changed;
    BackgroundLoop m_loop;
};

} // namespace pheu::bot
