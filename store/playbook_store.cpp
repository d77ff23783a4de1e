#include "store/playbook_store.h"

namespace pheu::store {

namespace {
constexpr const char* k_id = "default";
}

PlaybookStore::PlaybookStore(sql::Connection& db) : m_statements(db) {}

std::optional<std::string> PlaybookStore::get() {
    auto query = m_statements("SELECT definition FROM playbook WHERE id = ?");
    query->bind(1, k_id);
    if (!query->step()) {
        return std::nullopt;
    }
    return query->text(0);
}

bool PlaybookStore::seed(const std::string& definition_json, std::int64_t now_ms) {
    auto insert = m_statements("INSERT INTO playbook (id, definition, updated_at) VALUES (?, ?, ?) "
                               "ON CONFLICT (id) DO NOTHING");
    insert->bind(1, k_id);
    insert->bind(2, definition_json);
    insert->bind(3, static_cast<int64_t>(now_ms));
    return insert->run() == 1;
}

void PlaybookStore::put(const std::string& definition_json, std::int64_t now_ms) {
    // updated_at is the readers' version: it must move even for two edits in one millisecond.
    auto upsert = m_statements("INSERT INTO playbook (id, definition, updated_at) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, "
                               "updated_at = max(?3, playbook.updated_at + 1)");
    upsert->bind(1, k_id);
    upsert->bind(2, definition_json);
    upsert->bind(3, static_cast<int64_t>(now_ms));
    upsert->run();
}

std::int64_t PlaybookStore::updated_at() {
    auto query = m_statements("SELECT updated_at FROM playbook WHERE id = ?");
    query->bind(1, k_id);
    return query->step() ? query->int64(0) : 0;
}

} // namespace pheu::store
