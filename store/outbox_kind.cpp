#include "store/outbox_kind.h"

#include <array>
#include <stdexcept>
#include <string>
#include <utility>

namespace pheu::store {

namespace {
constexpr std::array<std::pair<OutboxKind, const char*>, 4> k_ids{{{OutboxKind::message, "message"},
                                                                   {OutboxKind::tag, "tag"},
                                                                   {OutboxKind::untag, "untag"},
                                                                   {OutboxKind::profile, "profile"}}};
} // namespace

const char* outbox_kind_id(OutboxKind kind) {
    for (const auto& [known, id] : k_ids) {
        if (known == kind) {
            return id;
        }
    }
    return "message"; // unreachable: every enumerator is listed
}

std::optional<OutboxKind> parse_outbox_kind(std::string_view id) {
    for (const auto& [kind, known] : k_ids) {
        if (id == known) {
            return kind;
        }
    }
    return std::nullopt;
}

OutboxKind stored_outbox_kind(std::string_view id) {
    if (const auto kind = parse_outbox_kind(id)) {
        return *kind;
    }
    throw std::runtime_error("outbox row of unknown kind \"" + std::string(id) + "\"");
}

} // namespace pheu::store
