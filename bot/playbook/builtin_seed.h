#pragma once
// Loads the built-in pack into the database at start: templates, voucher campaigns and the
// default playbook are added where missing and never overwrite what the shop has edited. A
// template body or a playbook the shop never edited (one the pack has shipped before) is
// brought up to the pack's, so a better built-in reply reaches the shops already running.
#include "store/sql/connection.h"

#include <cstdint>

namespace pheu::bot {

struct SeedCounts {
    int templates = 0;
    int campaigns = 0;
    bool playbook = false;
    int templates_updated = 0; // unedited bodies brought up to the pack's
    bool playbook_updated = false;
};

// In one transaction. Throws on a built-in pack that does not validate (a playbook or a code
// pattern in error: a build defect the unit tests rule out).
SeedCounts seed_builtin_pack(store::sql::Connection& db, std::int64_t now_ms);

} // namespace pheu::bot
