#pragma once
// The shop's stored settings: JSON values by key (stage thresholds, tag names, …).
#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>

namespace pheu::store {

class SettingsStore {
public:
    explicit SettingsStore(SQLite::Database& db);
    std::optional<std::string> get(const std::string& key);
    void put(const std::string& key, const std::string& json_value);

private:
    SQLite::Database& m_db;
};

} // namespace pheu::store
