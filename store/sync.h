#pragma once
// How durable a connection's own commits are (store/database.h; PostgreSQL's are durable
// when they return, whatever is asked here).

namespace pheu::store {

enum class Sync {
    // fsync on every commit: what an acknowledgement rests on.
    full,
    // No fsync of its own. For connections whose transactions are safe to lose on a power
    // cut because they are redone (the worker: effects and "processed" roll back together,
    // and the event is simply pending again), or that call sync_log
    // (Connection::make_commits_durable) before anything rests on their commit. The next
    // full commit or sync_log syncs them too.
    normal,
};

} // namespace pheu::store
