#pragma once
// SQL over customers and the identities they are known by.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::store {

class CustomerStore {
public:
    explicit CustomerStore(SQLite::Database& db);

    std::optional<std::int64_t> find_by_identity(const std::string& channel, const std::string& external_id);
    std::int64_t create(std::int64_t now_ms, std::int64_t first_seen_ms, const std::string& first_source);
    // Records that the customer is known by this identity; an identity already held is kept.
    void add_identity(const std::string& channel, const std::string& external_id, std::int64_t customer_id,
                      std::int64_t now_ms);
    // Moves last_interaction_at forward to `at_ms` (never backwards: events may arrive late).
    void record_interaction(std::int64_t customer_id, std::int64_t at_ms);
    std::optional<std::int64_t> last_interaction_at(std::int64_t customer_id);

private:
    SQLite::Statement m_find_identity;
    SQLite::Statement m_create;
    SQLite::Statement m_add_identity;
    SQLite::Statement m_record_interaction;
    SQLite::Statement m_last_interaction;
};

} // namespace pheu::store
