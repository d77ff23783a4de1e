#pragma once
// A few read connections shared by the HTTP threads. A SQLite connection serves one thread
// at a time; a request leases one for its queries and gives it back.
#include "store/sql/connection.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pheu::store {

class ReadPool {
public:
    ReadPool(const std::string& database_path, std::size_t size);

    class Lease {
    public:
        Lease(ReadPool& pool, std::unique_ptr<sql::Connection> db) : m_pool(pool), m_db(std::move(db)) {}
        ~Lease() { m_pool.give_back(std::move(m_db)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        sql::Connection& db() { return *m_db; }

    private:
        ReadPool& m_pool;
        std::unique_ptr<sql::Connection> m_db;
    };

    Lease lease();

private:
    void give_back(std::unique_ptr<sql::Connection> db);

    std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<sql::Connection>> m_idle;
};

} // namespace pheu::store
