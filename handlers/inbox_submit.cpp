#include "handlers/inbox_submit.h"

#include "bot/metrics.h"
#include "store/inbox_writer.h"

#include <spdlog/spdlog.h>

namespace pheu::handlers {

std::optional<SubmitOutcome> submit_to_inbox(const IngressContext& context, const std::vector<ParsedEvent>& events,
                                             std::int64_t received_ms) {
    bot::Metrics& metrics = context.metrics;
    std::vector<store::InboxRecord> records;
    records.reserve(events.size());
    for (const ParsedEvent& parsed : events) {
        const bot::InboundEvent& event = parsed.event;
        records.push_back(store::InboxRecord{
            event.dedupe_key, event.source, event.account_id, event.kind, event.occurred_at_ms, received_ms,
            store::InboxState::pending,
            bot::to_json(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), parsed.raw});
    }
    std::vector<store::InsertOutcome> outcomes;
    try {
        outcomes = context.inbox.write(records);
    } catch (const std::exception& error) {
        spdlog::error("inbox: could not store {} event(s): {}", records.size(), error.what());
        return std::nullopt;
    }
    SubmitOutcome outcome;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        const bot::InboundEvent& event = events[i].event;
        if (outcomes[i] == store::InsertOutcome::duplicate) {
            ++outcome.duplicates;
            metrics.event_duplicate(event.source);
            continue;
        }
        ++outcome.stored;
        metrics.event_received(event.source, event.kind);
        if (event.kind == bot::kind::unknown) {
            metrics.event_unknown(event.source);
        }
    }
    return outcome;
}

} // namespace pheu::handlers
