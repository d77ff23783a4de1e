#pragma once
// The words of an outbox row. Its kind, what it asks of a platform: a message to a customer,
// a tag added to or removed from a Zalo follower, or a follower's profile to read (stored by
// its id in outbox.kind, which the schema constrains to these four). Its status, where it
// stands: queued (to send, or being sent), sandboxed (recorded, never sent), sent, failed,
// skipped (decided against, with the reason).
#include <optional>
#include <string_view>

namespace pheu::store {

enum class OutboxKind { message, tag, untag, profile };

const char* outbox_kind_id(OutboxKind kind);
std::optional<OutboxKind> parse_outbox_kind(std::string_view id);
// For a row read back: the schema admits no other id, so another one is a broken invariant
// (throws std::runtime_error).
OutboxKind stored_outbox_kind(std::string_view id);

enum class OutboxStatus { queued, sandboxed, sent, failed, skipped };

const char* outbox_status_id(OutboxStatus status);
std::optional<OutboxStatus> parse_outbox_status(std::string_view id);

} // namespace pheu::store
