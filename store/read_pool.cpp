#include "store/read_pool.h"

#include "store/database.h"

namespace pheu::store {

ReadPool::ReadPool(const std::string& database_path, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        m_idle.push_back(sql::open_connection(database_path));
    }
}

ReadPool::Lease ReadPool::lease() {
    std::unique_lock lock(m_mutex);
    m_available.wait(lock, [&] { return !m_idle.empty(); });
    auto db = std::move(m_idle.back());
    m_idle.pop_back();
    return Lease(*this, std::move(db));
}

void ReadPool::give_back(std::unique_ptr<sql::Connection> db) {
    {
        std::lock_guard lock(m_mutex);
        m_idle.push_back(std::move(db));
    }
    m_available.notify_one();
}

} // namespace pheu::store
