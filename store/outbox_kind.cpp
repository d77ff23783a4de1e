#include "store/outbox_kind.h"

#include "common/enum_ids.h"

#include <stdexcept>
#include <string>

namespace pheu::store {

namespace {

constexpr common::EnumIds<OutboxKind, 4> k_kinds{{{OutboxKind::message, "message"},
                                                  {OutboxKind::tag, "tag"},
                                                  {OutboxKind::untag, "untag"},
                                                  {OutboxKind::profile, "profile"}}};

constexpr common::EnumIds<OutboxStatus, 5> k_statuses{{{OutboxStatus::queued, "queued"},
                                                       {OutboxStatus::sandboxed, "sandboxed"},
                                                       {OutboxStatus::sent, "sent"},
                                                       {OutboxStatus::failed, "failed"},
                                                       {OutboxStatus::skipped, "skipped"}}};

} // namespace

const char* outbox_kind_id(OutboxKind kind) {
    return common::id_of(k_kinds, kind);
}

std::optional<OutboxKind> parse_outbox_kind(std::string_view id) {
    return common::parse_id(k_kinds, id);
}

OutboxKind stored_outbox_kind(std::string_view id) {
    if (const auto kind = parse_outbox_kind(id)) {
        return *kind;
    }
    throw std::runtime_error("outbox row of unknown kind \"" + std::string(id) + "\"");
}

const char* outbox_status_id(OutboxStatus status) {
    return common::id_of(k_statuses, status);
}

std::optional<OutboxStatus> parse_outbox_status(std::string_view id) {
    return common::parse_id(k_statuses, id);
}

} // namespace pheu::store
