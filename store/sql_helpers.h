#pragma once
// Small helpers shared by the repositories: binding empty text as NULL and reading NULL
// columns as empty or absent values.
#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::store {

inline void bind_text_or_null(SQLite::Statement& statement, int index, const std::string& value) {
    if (value.empty()) {
        statement.bind(index);
    } else {
        statement.bind(index, value);
    }
}

inline void bind_optional_int(SQLite::Statement& statement, int index, const std::optional<std::int64_t>& value) {
    if (value) {
        statement.bind(index, static_cast<int64_t>(*value));
    } else {
        statement.bind(index);
    }
}

inline std::optional<std::int64_t> optional_int(const SQLite::Column& column) {
    return column.isNull() ? std::nullopt : std::optional<std::int64_t>(column.getInt64());
}

inline std::optional<std::string> optional_text(const SQLite::Column& column) {
    return column.isNull() ? std::nullopt : std::optional<std::string>(column.getString());
}

inline std::string text_or_empty(const SQLite::Column& column) {
    return column.isNull() ? std::string() : column.getString();
}

} // namespace pheu::store
