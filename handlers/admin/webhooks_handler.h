#pragma once
// The shop's outbound webhooks, for the owner: GET /api/v1/webhooks (each endpoint with its
// secret and how its deliveries stand), POST /api/v1/webhooks {"url","events":[…],
// "description"?} (201 with a new whsec_ secret), DELETE /api/v1/webhooks/{id}, and
// GET /api/v1/webhooks/{id}/deliveries (newest first, paged). Audited.
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>

namespace pheu::store {
class AdminWriter;
class ReadPool;
} // namespace pheu::store

namespace pheu::handlers {

class WebhooksHandler {
public:
    WebhooksHandler(store::ReadPool& reads, store::AdminWriter& writer, std::function<std::int64_t()> clock);

    HttpReply list(const HttpRequestView& request) const;
    HttpReply create(const HttpRequestView& request) const;
    HttpReply remove(const HttpRequestView& request) const;
    HttpReply deliveries(const HttpRequestView& request) const;

private:
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
