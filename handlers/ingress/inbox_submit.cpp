#include "handlers/ingress/inbox_submit.h"

#include "bot/customers/person_lane.h"
#include "bot/inbound_event.h"
#include "bot/metrics.h"
#include "handlers/ingress/event_time.h"
#include "handlers/http/exception_text.h"
#include "handlers/http/json_error.h"
#include "store/inbox_writer.h"

#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>

#include <utility>

namespace pheu::handlers {

namespace {

// Consumes the events: their raw bodies move into the records, not copied. A platform's time
// far ahead is replaced by the arrival time, and counted (event_time.h).
std::vector<store::InboxRecord> records_for(std::vector<ParsedEvent> events, std::int64_t received_ms,
                                            bot::Metrics& metrics) {
    std::vector<store::InboxRecord> records;
    records.reserve(events.size());
    for (ParsedEvent& parsed : events) {
        bot::InboundEvent& event = parsed.event;
        if (const std::int64_t at = platform_event_time(event.occurred_at_ms, received_ms);
            at != event.occurred_at_ms) {
            event.occurred_at_ms = at;
            metrics.event_time_replaced(bot::event_source_id(event.source));
        }
        records.push_back(bot::inbox_record_of(event, received_ms, std::move(parsed.raw)));
    }
    return records;
}

// What was stored, counted in the metrics.
SubmitOutcome count_outcomes(bot::Metrics& metrics, const std::vector<store::InsertOutcome>& outcomes,
                             const std::vector<store::InboxRecord>& records) {
    SubmitOutcome outcome;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        const store::InboxRecord& record = records[i];
        if (outcomes[i] == store::InsertOutcome::duplicate) {
            ++outcome.duplicates;
            metrics.event_duplicate(record.source);
            continue;
        }
        ++outcome.stored;
        metrics.event_received(record.source, record.kind);
        if (record.kind == bot::kind::unknown) {
            metrics.event_unknown(record.source);
        }
    }
    return outcome;
}

void log_storage_failure(std::size_t count, const std::exception_ptr& error) {
    spdlog::error("inbox: could not store {} event(s): {}", count, exception_text(error));
}

} // namespace

std::optional<SubmitOutcome> submit_to_inbox(const IngressContext& context, std::vector<ParsedEvent> events,
                                             std::int64_t received_ms) {
    const std::vector<store::InboxRecord> records = records_for(std::move(events), received_ms, context.metrics);
    std::vector<store::InsertOutcome> outcomes;
    try {
        outcomes = context.inbox.write(records);
    } catch (const std::exception&) {
        log_storage_failure(records.size(), std::current_exception());
        return std::nullopt;
    }
    return count_outcomes(context.metrics, outcomes, records);
}

void submit_then_reply(const IngressContext& context, std::vector<ParsedEvent> events, std::int64_t received_ms,
                       AnswerFromOutcome answer, ReplySink reply) {
    bot::Metrics& metrics = context.metrics;
    context.inbox.write_async(records_for(std::move(events), received_ms, metrics),
                              [&metrics, answer = std::move(answer), reply = std::move(reply)](
                                  const std::vector<store::InboxRecord>& records,
                                  std::vector<store::InsertOutcome> outcomes, std::exception_ptr error) {
                                  if (error) {
                                      log_storage_failure(records.size(), error);
                                      reply(answer(std::nullopt));
                                      return;
                                  }
                                  reply(answer(count_outcomes(metrics, outcomes, records)));
                              });
}

HttpReply accepted_or_unavailable(const std::optional<SubmitOutcome>& outcome) {
    if (!outcome) {
        return json_error(503, "storage_unavailable", "Nothing could be stored; nothing was kept. Send it again.");
    }
    return HttpReply{202,
                     nlohmann::json{{"accepted", outcome->stored}, {"duplicates", outcome->duplicates}}.dump(),
                     "application/json",
                     {}};
}

} // namespace pheu::handlers
