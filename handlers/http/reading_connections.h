#pragma once
// Which connections an event loop lets wait for a request, and which it drops to make room.
//
// A connection is "reading" from the moment it is accepted (or has answered its last
// request) until its next request is complete. That is where a slow-loris flood lives: each
// connection costs a descriptor while it trickles a header that never ends. Two caps bound
// it: per peer (an IPv4 address, or an IPv6 /64, which one subscriber usually holds whole)
// and in total. At either cap a new connection is admitted and an old one dropped instead:
// the oldest of the same peer, or, at the total cap, the oldest of the peer holding the most.
// So a flood costs the flooder its own connections, while a platform delivering a webhook
// on a new connection always gets in. Pure bookkeeping; the loop does the closing.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

namespace pheu::handlers {

struct ReadingLimits {
    std::size_t per_peer = 64;
    std::size_t total = 4096;
};

// The peer a connection is counted under: the IPv4 address, or an IPv6 address's /64 prefix.
std::string peer_key(const std::string& address);

class ReadingConnections {
public:
    using Id = std::uint64_t;

    explicit ReadingConnections(ReadingLimits limits);

    // Before `peer` starts one more reading connection: the connection to drop first, if a
    // cap is reached.
    std::optional<Id> victim_for(const std::string& peer) const;
    // A connection starts or stops waiting for a request. Stopping an unknown id is a no-op.
    void started(Id id, const std::string& peer);
    void stopped(Id id);

    std::size_t total() const { return m_by_id.size(); }
    std::size_t of_peer(const std::string& peer) const;

private:
    struct Entry {
        std::string peer;
        std::uint64_t order;
    };
    ReadingLimits m_limits;
    std::uint64_t m_next_order = 0;
    std::unordered_map<Id, Entry> m_by_id;
    // Per peer, its reading connections oldest first.
    std::unordered_map<std::string, std::map<std::uint64_t, Id>> m_by_peer;
};

} // namespace pheu::handlers
