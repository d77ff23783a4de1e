#pragma once
// Mirrors each customer's stage to a Zalo OA tag ("Lead mới", …) so shop staff see it in the
// OA chat tool and can target it: on stage_entered, an untag of the old stage's tag and a tag
// of the new one are queued as outbound work for the dispatcher (recorded now, sent later).
#include "bot/customers/stage_keeper.h"

#include "store/sql/connection.h"

namespace pheu::bot {

// Subscribes a mirror that writes to `db` to the keeper's stage_entered events.
void subscribe_zalo_tag_mirror(StageKeeper& keeper, store::sql::Connection& db);

} // namespace pheu::bot
