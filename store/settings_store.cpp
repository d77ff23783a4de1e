#include "store/settings_store.h"

namespace pheu::store {

SettingsStore::SettingsStore(sql::Connection& db) : m_statements(db) {}

std::optional<std::string> SettingsStore::get(const std::string& key) {
    auto query = m_statements("SELECT value FROM settings WHERE key = ?");
    query->bind(1, key);
    if (query->step()) {
        return query->text(0);
    }
    return std::nullopt;
}

nlohmann::json SettingsStore::get_object(const std::string& key) {
    if (auto text = get(key)) {
        auto value = nlohmann::json::parse(*text, nullptr, false);
        if (value.is_object()) {
            return value;
        }
    }
    return nlohmann::json::object();
}

void SettingsStore::put(const std::string& key, const std::string& json_value) {
    auto upsert = m_statements("INSERT INTO settings (key, value) VALUES (?, ?) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    upsert->bind(1, key);
    upsert->bind(2, json_value);
    upsert->run();
}

} // namespace pheu::store
