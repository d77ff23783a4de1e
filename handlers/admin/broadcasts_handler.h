#pragma once
// The admin API for broadcasts (README, "Broadcasts"). Bearer admin token.
//   POST /api/v1/broadcasts                 {"name","segment_id","template","campaign"?,"send_at"?,
//                                           "holdout_percent"?,"budget_vnd"?,"respect_caps"?}
//                                           → 201 the broadcast
//   GET  /api/v1/broadcasts                 every broadcast, newest first
//   POST /api/v1/broadcasts/estimate        {"segment_id","template"}: how many customers each route
//                                           would reach now and what it would cost, before sending
//   GET  /api/v1/broadcasts/{id}            {"id","status","audience","held_out","sent","skipped",
//                                           "cost_vnd",…}
//   POST /api/v1/broadcasts/{id}/pause      stops deciding new messages (those already handed to
//                                           delivery still go out)
//   POST /api/v1/broadcasts/{id}/resume     goes on where it stopped
//   POST /api/v1/broadcasts/{id}/cancel     for good: its messages still waiting are skipped
//   POST /api/v1/broadcasts/{id}/test       {"customer_id"}: the message to that one customer now,
//                                           as the shop will see it ({"status","channel","reason",
//                                           "text"}); no control group, caps or budget, and never
//                                           counted in the broadcast's results
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace pheu::store {
class ReadPool;
class AdminWriter;
struct WrittenMessage;
} // namespace pheu::store

namespace pheu::handlers {

class BroadcastsHandler {
public:
    // Sends a broadcast's message to one customer as a test, and waits for what was written
    // (bot/worker/broadcast_sender.h); nothing when the broadcast is unknown.
    using TestSend =
        std::function<std::optional<store::WrittenMessage>(std::int64_t broadcast_id, std::int64_t customer_id)>;

    // `changed` wakes the broadcast sender after a change it should act on at once.
    BroadcastsHandler(store::ReadPool& reads, store::AdminWriter& writer, std::function<std::int64_t()> clock,
                      std::function<void()> changed, TestSend test_send);

    HttpReply create(const HttpRequestView& request) const;
    HttpReply list(const HttpRequestView& request) const;
    HttpReply estimate(const HttpRequestView& request) const;
    HttpReply get(const HttpRequestView& request) const;
    HttpReply pause(const HttpRequestView& request) const;
    HttpReply resume(const HttpRequestView& request) const;
    HttpReply cancel(const HttpRequestView& request) const;
    HttpReply test(const HttpRequestView& request) const;

private:
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
    std::function<void()> m_changed;
    TestSend m_test_send;
};

} // namespace pheu::handlers
