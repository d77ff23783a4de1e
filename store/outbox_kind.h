#pragma once
// What an outbox row asks of a platform: a message to a customer, a tag added to or removed
// from a Zalo follower, or a follower's profile to read. Stored by its id in outbox.kind,
// which the schema constrains to these four.
#include <optional>
#include <string_view>

namespace pheu::store {

enum class OutboxKind { message, tag, untag, profile };

const char* outbox_kind_id(OutboxKind kind);
std::optional<OutboxKind> parse_outbox_kind(std::string_view id);
// For a row read back: the schema admits no other id, so another one is a broken invariant
// (throws std::runtime_error).
OutboxKind stored_outbox_kind(std::string_view id);

} // namespace pheu::store
