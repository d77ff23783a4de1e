#include "handlers/http/reading_connections.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

namespace pheu::handlers {

std::string peer_key(const std::string& address) {
    if (address.find(':') == std::string::npos) {
        return address;
    }
    std::array<unsigned char, 16> bytes{};
    if (::inet_pton(AF_INET6, address.c_str(), bytes.data()) != 1) {
        return address;
    }
    // An IPv4-mapped address (::ffff:a.b.c.d) is that IPv4 peer.
    static constexpr std::array<unsigned char, 12> k_mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(k_mapped.begin(), k_mapped.end(), bytes.begin())) {
        char text[INET_ADDRSTRLEN] = {};
        ::inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
        return text;
    }
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
    return std::string(text) + "/64";
}

ReadingConnections::ReadingConnections(ReadingLimits limits) : m_limits(limits) {}

std::optional<ReadingConnections::Id> ReadingConnections::victim_for(const std::string& peer) const {
    const auto own = m_by_peer.find(peer);
    if (own != m_by_peer.end() && own->second.size() >= m_limits.per_peer) {
        return own->second.begin()->second;
    }
    if (m_by_id.size() < m_limits.total) {
        return std::nullopt;
    }
    const std::map<std::uint64_t, Id>* largest = nullptr;
    for (const auto& [key, connections] : m_by_peer) {
        if (largest == nullptr || connections.size() > largest->size()) {
            largest = &connections;
        }
    }
    if (largest == nullptr || largest->empty()) {
        return std::nullopt;
    }
    return largest->begin()->second;
}

void ReadingConnections::started(Id id, const std::string& peer) {
    if (m_by_id.count(id) != 0) {
        return;
    }
    const std::uint64_t order = m_next_order++;
    m_by_id.emplace(id, Entry{peer, order});
    m_by_peer[peer].emplace(order, id);
}

void ReadingConnections::stopped(Id id) {
    const auto found = m_by_id.find(id);
    if (found == m_by_id.end()) {
        return;
    }
    const auto peer = m_by_peer.find(found->second.peer);
    peer->second.erase(found->second.order);
    if (peer->second.empty()) {
        m_by_peer.erase(peer);
    }
    m_by_id.erase(found);
}

std::size_t ReadingConnections::of_peer(const std::string& peer) const {
    const auto found = m_by_peer.find(peer);
    return found == m_by_peer.end() ? 0 : found->second.size();
}

} // namespace pheu::handlers
