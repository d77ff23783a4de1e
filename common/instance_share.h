#pragma once
// How many pheu instances share one database: 1 on SQLite (one process serves the file);
// on PostgreSQL, the live instances the dispatcher counts at each heartbeat
// (store/instances.h). A limit each instance keeps in memory (an account's send rate, a
// Mini App shopper's requests, failed sign-ins) grants its share of the configured total,
// so that together the instances keep to the total without asking the database at each
// request. Thread-safe.
#include <algorithm>
#include <atomic>

namespace pheu::common {

class InstanceShare {
public:
    int instances() const { return m_instances.load(std::memory_order_relaxed); }
    // Sets the count (at least 1); true when it changed.
    bool set(int instances) {
        const int counted = std::max(1, instances);
        return m_instances.exchange(counted, std::memory_order_relaxed) != counted;
    }
    // This instance's part of a `total` allowance.
    double of(double total) const { return total / instances(); }

private:
    std::atomic<int> m_instances{1};
};

} // namespace pheu::common
