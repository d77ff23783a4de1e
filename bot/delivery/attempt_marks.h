#pragma once
// The senders' durable "this message is about to go out" marks (store/delivery_store.h), in
// group commits: a sender asks for its mark and waits until it is on disk, and whichever
// sender finds no commit under way writes every mark asked for so far in one transaction.
// One fsync per message (each sender in turn) held live delivery near a few hundred
// messages a second; a group shares one, taken after the write gate is left
// (store/database.h, sync_log).
#include "store/delivery_store.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace pheu::store::sql {
class Connection;
}
namespace pheu::store {
class WriteGate;
}

namespace pheu::bot {

class AttemptMarks {
public:
    using Clock = std::function<std::int64_t()>;

    // Marks the rows `instance` claimed (store/instances.h).
    AttemptMarks(const std::string& database_path, store::WriteGate& gate, Clock clock, std::string instance);
    ~AttemptMarks();
    AttemptMarks(const AttemptMarks&) = delete;
    AttemptMarks& operator=(const AttemptMarks&) = delete;

    // Returns once the mark of outbox row `id` is committed: true when it may be sent, false
    // when the row is no longer this instance's (another took it back while this one's
    // heartbeat looked stopped). Throws when the commit failed (then it must not be sent).
    bool mark(std::int64_t id);

private:
    struct Committed {
        std::string error; // empty when committed
        std::set<std::int64_t> marked;
    };
    Committed commit(const std::vector<std::int64_t>& ids);

    std::unique_ptr<store::sql::Connection> m_db;
    store::DeliveryStore m_store; // on m_db; used by one committing sender at a time
    store::WriteGate& m_gate;
    Clock m_clock;
    std::string m_instance;
    std::mutex m_mutex;
    std::condition_variable m_committed;
    std::vector<std::int64_t> m_waiting;           // asked for, not yet in a commit
    std::uint64_t m_asked = 0;                     // tickets handed out
    std::uint64_t m_done = 0;                      // every ticket up to this one is settled
    bool m_committing = false;                     // a sender is writing a group
    std::map<std::uint64_t, std::string> m_failed; // tickets whose commit failed, until read
    std::set<std::int64_t> m_lost;                 // rows asked for but no longer this instance's, until read
};

} // namespace pheu::bot
