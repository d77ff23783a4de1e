#pragma once
// Handing parsed events to the durable inbox: the step every ingress endpoint ends with.
#include "handlers/http/http_exchange.h"
#include "handlers/ingress/ingress_context.h"
#include "handlers/ingress/parsed_event.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace pheu::handlers {

struct SubmitOutcome {
    std::size_t stored = 0;
    std::size_t duplicates = 0;
};

// Both take the events by value: a caller done with them moves them in, and the bodies are
// not copied on the way to the inbox.
// Stores all the events atomically and returns once they are durable; nullopt when the
// database failed (nothing stored: the caller answers 503 and the sender retries). Counts
// received, duplicate and unknown events in the metrics.
std::optional<SubmitOutcome> submit_to_inbox(const IngressContext& context, std::vector<ParsedEvent> events,
                                             std::int64_t received_ms);

// The same for the webhook endpoints, which run on the HTTP event loop and must not block:
// the events go to the inbox writer, and once they are durable (or failed) `answer` turns
// the outcome into the reply, which goes to `reply`. Both run on the inbox writer's thread.
using AnswerFromOutcome = std::function<HttpReply(const std::optional<SubmitOutcome>& outcome)>;
void submit_then_reply(const IngressContext& context, std::vector<ParsedEvent> events, std::int64_t received_ms,
                       AnswerFromOutcome answer, ReplySink reply);

// The answer of the shop's own endpoints (the events API, the Mini App's events, the import):
// 202 {"accepted":N,"duplicates":M} once durable, 503 when nothing could be kept.
HttpReply accepted_or_unavailable(const std::optional<SubmitOutcome>& outcome);

} // namespace pheu::handlers
