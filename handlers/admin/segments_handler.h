#pragma once
// The admin API for segments (README, "Segments"). Bearer admin token.
//   POST   /api/v1/segments                {"name","filter"} → 201 {"id","name","filter","count"}
//   GET    /api/v1/segments                every segment, counted now
//   POST   /api/v1/segments/count          {"filter"} → {"count"}: the console's live count as a
//                                          filter is edited, nothing saved
//   GET    /api/v1/segments/{id}           the segment, counted now
//   PUT    /api/v1/segments/{id}           {"name","filter"}
//   DELETE /api/v1/segments/{id}
//   GET    /api/v1/segments/{id}/customers ?limit=&cursor= → {"items":[customer…],"next_cursor"}
//   GET    /api/v1/segments/{id}/export.csv every member, as the customer export's CSV
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class ReadPool;
class AdminWriter;
} // namespace pheu::store

namespace pheu::handlers {

class SegmentsHandler {
public:
    SegmentsHandler(store::ReadPool& reads, store::AdminWriter& writer, std::function<std::int64_t()> clock);

    HttpReply create(const HttpRequestView& request) const;
    HttpReply list(const HttpRequestView& request) const;
    HttpReply count(const HttpRequestView& request) const;
    HttpReply get(const HttpRequestView& request) const;
    HttpReply put(const HttpRequestView& request) const;
    HttpReply remove(const HttpRequestView& request) const;
    HttpReply customers(const HttpRequestView& request) const;
    HttpReply export_csv(const HttpRequestView& request) const;

private:
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
