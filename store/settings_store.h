#pragma once
// The shop's stored settings: JSON values by key (stage thresholds, tag names, …).
#include "store/statement_cache.h"

#include "store/sql/connection.h"
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace pheu::store {

// Keeps its prepared statements: the worker reads the settings at the start of every pass.
class SettingsStore {
public:
    explicit SettingsStore(sql::Connection& db);
    std::optional<std::string> get(const std::string& key);
    // The stored value when it is a JSON object; an empty object when absent or malformed
    // (readers then keep their defaults).
    nlohmann::json get_object(const std::string& key);
    void put(const std::string& key, const std::string& json_value);

private:
    StatementCache m_statements;
};

} // namespace pheu::store
