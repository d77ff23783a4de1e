#pragma once
// The dedupe keys of inbox rows that are stored but not yet settled by the processing
// worker, kept in memory and shared by the inbox writer and the worker of one server.
//
// Why not a unique index on the inbox: a platform's event ids are random, so every new
// event dirtied its own page of that index inside the commit a webhook answer waits for
// (measured at 64 connections: a quarter to two fifths of the acknowledgements a second).
// Instead the inbox is an append-only log and a key becomes durable in inbox_settled_keys
// when the worker settles its row, in the transaction that applies it. Until then the key
// is here. The inbox writer finds a redelivery in one place or the other:
//
//   - the writer adds a key here before its commit; the worker removes it only after the
//     commit that settled it, so at every moment a stored key is here, or settled, or both;
//   - the writer looks here first and in inbox_settled_keys second, inside its write
//     transaction. The worker cannot commit during that transaction, so a key it took out
//     of here was settled before the transaction began, and the lookup sees it.
//
// After a restart the set is rebuilt from the pending rows (InboxWriter does it). The
// worker checks again in its own transaction (a key already settled makes the row a
// duplicate, never applied), so even a second process writing the same file could at worst
// store a copy, never apply one twice.
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace pheu::store {

class UnsettledKeys {
public:
    // Adds the key; false when it was already there.
    bool add(const std::string& key);
    void add_all(const std::vector<std::string>& keys);
    bool contains(const std::string& key) const;
    void remove(const std::vector<std::string>& keys);
    std::size_t size() const;

private:
    mutable std::mutex m_mutex;
    std::unordered_set<std::string> m_keys;
};

} // namespace pheu::store
