#pragma once
// The admin API over outbound messages:
//   GET  /api/v1/messages?status=&reason=&channel=&limit=&cursor=   newest first
//   POST /api/v1/messages/{id}/retry   queues a failed or skipped message again
#include "handlers/http/http_exchange.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class ReadPool;
class AdminWriter;
struct MessageRow;
} // namespace pheu::store

namespace pheu::handlers {

// A message as every admin answer shows it (README, "Endpoints").
nlohmann::json message_json(const store::MessageRow& row);

class MessagesHandler {
public:
    MessagesHandler(store::ReadPool& reads, store::AdminWriter& writer, std::function<std::int64_t()> clock,
                    std::function<void()> outbox_changed);

    HttpReply list(const HttpRequestView& request) const;
    HttpReply retry(const HttpRequestView& request) const;

private:
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
    std::function<void()> m_outbox_changed;
};

} // namespace pheu::handlers
