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

    AttemptMarks(const std::string& database_path, store::WriteGate& gate, Clock clock);
    ~AttemptMarks();
    AttemptMarks(const AttemptMarks&) = delete;
    AttemptMarks& operator=(const AttemptMarks&) = delete;

    // Returns once the mark of outbox row `id` is committed; throws when its commit failed
    // (then the message must not be sent).
    void mark(std::int64_t id);

private:
    // Commits the marks of `ids`; "" or the error.
    std::string commit(const std::vector<std::int64_t>& ids);

    std::unique_ptr<store::sql::Connection> m_db;
    store::DeliveryStore m_store; // on m_db; used by one committing sender at a time
    store::WriteGate& m_gate;
    Clock m_clock;
    std::mutex m_mutex;
    std::condition_variable m_committed;
    std::vector<std::int64_t> m_waiting;           // asked for, not yet in a commit
    std::uint64_t m_asked = 0;                     // tickets handed out
    std::uint64_t m_done = 0;                      // every ticket up to this one is settled
    bool m_committing = false;                     // a sender is writing a group
    std::map<std::uint64_t, std::string> m_failed; // tickets whose commit failed, until read
};

} // namespace pheu::bot
