#pragma once
// Row types of the inbox. store/ has its own types and never includes bot/ headers.
#include <cstdint>
#include <optional>
#include <string>

namespace pheu::store {

enum class InboxState { pending, processed, failed, rejected, duplicate };

const char* to_string(InboxState state);

// How many lanes the worker's events are decided in (bot/customers/person_lane.h); migration
// 33 gives PostgreSQL's worker_lanes as many rows.
inline constexpr int k_worker_lanes = 64;

// One accepted event, ready to be written. `event` is the normalised event as JSON text and
// `raw` what the platform sent for it, kept for inspection and replay.
struct InboxRecord {
    std::string dedupe_key;
    std::string source;
    std::string account_id;
    std::string kind;
    std::int64_t occurred_at_ms = 0;
    std::int64_t received_at_ms = 0;
    InboxState state = InboxState::pending;
    std::string event;
    std::string raw;
    int lane = 0; // the person's (bot/customers/person_lane.h)
};

enum class InsertOutcome { stored, duplicate };

// An inbox row as the processing worker reads it.
struct PendingEvent {
    std::int64_t seq = 0;
    std::string source;
    std::string dedupe_key;
    std::string event;
    std::int64_t received_at_ms = 0;
};

} // namespace pheu::store
