#pragma once
// The admin API for broadcasts (README, "Broadcasts"). Bearer admin token.
//   POST /api/v1/broadcasts                 {"name","segment_id","template","campaign"?,"send_at"?,
//                                           "holdout_percent"?,"budget_vnd"?,"respect_caps"?}
//                                           → 201 the broadcast
//   GET  /api/v1/broadcasts                 every broadcast, newest first
//   GET  /api/v1/broadcasts/{id}            {"id","status","audience","held_out","sent","skipped",
//                                           "cost_vnd",…}
//   POST /api/v1/broadcasts/{id}/pause      stops deciding new messages (those already handed to
//                                           delivery still go out)
//   POST /api/v1/broadcasts/{id}/resume     goes on where it stopped
//   POST /api/v1/broadcasts/{id}/cancel     for good: its messages still waiting are skipped
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class ReadPool;
class AdminWriter;
} // namespace pheu::store

namespace pheu::handlers {

class BroadcastsHandler {
public:
    // `changed` wakes the broadcast sender after a change it should act on at once.
    BroadcastsHandler(std::string admin_token, store::ReadPool& reads, store::AdminWriter& writer,
                      std::function<std::int64_t()> clock, std::function<void()> changed);

    HttpReply create(const HttpRequestView& request) const;
    HttpReply list(const HttpRequestView& request) const;
    HttpReply get(const HttpRequestView& request) const;
    HttpReply pause(const HttpRequestView& request) const;
    HttpReply resume(const HttpRequestView& request) const;
    HttpReply cancel(const HttpRequestView& request) const;

private:
    std::string m_admin_token;
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
    std::function<void()> m_changed;
};

} // namespace pheu::handlers
