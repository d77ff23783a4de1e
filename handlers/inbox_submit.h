#pragma once
// Handing parsed events to the durable inbox: the step every ingress endpoint ends with.
#include "handlers/ingress_context.h"
#include "handlers/parsed_event.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace pheu::handlers {

struct SubmitOutcome {
    std::size_t stored = 0;
    std::size_t duplicates = 0;
};

// Stores all the events atomically and returns once they are durable; nullopt when the
// database failed (nothing stored: the caller answers 503 and the sender retries). Counts
// received, duplicate and unknown events in the metrics.
std::optional<SubmitOutcome> submit_to_inbox(const IngressContext& context, const std::vector<ParsedEvent>& events,
                                             std::int64_t received_ms);

} // namespace pheu::handlers
