#pragma once
// POST /api/v1/customers/{id}/reply {"text":"…"}: a person at the shop answers a shopper from
// the console. The message goes through the outbox like any other, on the channel whose
// window is open (bot/playbook/send_policy.h, staff_reply_channel), with trigger
// "staff_reply"; and pheu keeps out of the conversation for the handoff time, as when staff
// answer from Zalo's OA chat tool. Bearer admin token; audited.
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class AdminWriter;
} // namespace pheu::store

namespace pheu::handlers {

class StaffReplyHandler {
public:
    StaffReplyHandler(store::AdminWriter& writer, std::function<std::int64_t()> clock);

    // 201 {"id","status":"queued","channel","text"}; 400 an empty or too long text; 404 no
    // such customer; 409 "no_open_channel" when no platform would take a message now.
    HttpReply reply(const HttpRequestView& request) const;

private:
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
