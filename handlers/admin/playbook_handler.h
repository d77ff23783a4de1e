#pragma once
// The admin API for the playbook: which rules and journeys run, their conditions, timings
// and templates.
//   GET /api/v1/playbook                  {"rules":[…], "journeys":[…]} as pheu runs them
//   PUT /api/v1/playbook/rules/{id}       changes fields of one rule (enabled, template,
//                                         conditions, campaign, cooldown_hours, …)
//   PUT /api/v1/playbook/journeys/{id}    changes one journey (enabled, steps' timings, …)
// A change is checked as a whole playbook (the JSON pointer of a bad field is named), its
// templates and campaigns must exist, and the running pipelines pick it up on their next batch.
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class ReadPool;
class AdminWriter;
} // namespace pheu::store

namespace pheu::handlers {

class PlaybookHandler {
public:
    PlaybookHandler(store::ReadPool& reads, store::AdminWriter& writer, std::function<std::int64_t()> clock);

    HttpReply get(const HttpRequestView& request) const;
    HttpReply put_rule(const HttpRequestView& request) const;
    HttpReply put_journey(const HttpRequestView& request) const;

private:
    // Merges `fields` into the item of `collection` named by the path, validates, stores.
    HttpReply put_item(const HttpRequestView& request, const char* collection, const char* action) const;

    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
