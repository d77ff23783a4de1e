#include "store/unsettled_keys.h"

namespace pheu::store {

bool UnsettledKeys::add(const std::string& key) {
    std::lock_guard lock(m_mutex);
    return m_keys.insert(key).second;
}

void UnsettledKeys::add_all(const std::vector<std::string>& keys) {
    std::lock_guard lock(m_mutex);
    m_keys.insert(keys.begin(), keys.end());
}

bool UnsettledKeys::contains(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    return m_keys.contains(key);
}

void UnsettledKeys::remove(const std::vector<std::string>& keys) {
    std::lock_guard lock(m_mutex);
    for (const std::string& key : keys) {
        m_keys.erase(key);
    }
}

std::size_t UnsettledKeys::size() const {
    std::lock_guard lock(m_mutex);
    return m_keys.size();
}

} // namespace pheu::store
