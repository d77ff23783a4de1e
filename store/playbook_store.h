#pragma once
// SQL over the shop's playbook document ({"rules":[…],"journeys":[…]}), kept as one JSON
// value so a shop's edit replaces it whole and a reader never sees half an edit.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::store {

class PlaybookStore {
public:
    explicit PlaybookStore(sql::Connection& db);

    std::optional<std::string> get();
    // Stores the playbook unless one exists.
    bool seed(const std::string& definition_json, std::int64_t now_ms);
    // Replaces the playbook (the admin API validates it first).
    void put(const std::string& definition_json, std::int64_t now_ms);
    // Changes whenever the playbook is replaced, so readers reload only then.
    std::int64_t updated_at();

private:
    StatementCache m_statements;
};

} // namespace pheu::store
