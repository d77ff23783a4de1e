#pragma once
// Small helpers shared by the repositories: binding empty text as NULL, reading NULL
// columns as empty or absent values, and the placeholders of statements over a batch.
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

inline void bind_optional_text(SQLite::Statement& statement, int index, const std::optional<std::string>& value) {
    if (value) {
        statement.bind(index, *value);
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

// "?, ?, ?": the parameters of an IN list of `count` values.
inline std::string placeholder_list(std::size_t count) {
    std::string list;
    for (std::size_t i = 0; i < count; ++i) {
        list += i == 0 ? "?" : ", ?";
    }
    return list;
}

// "(?, ?), (?, ?)": `count` rows of `width` parameters, for a VALUES list. Statements for
// a whole batch run once instead of once per row.
inline std::string placeholder_rows(std::size_t count, std::size_t width) {
    const std::string row = "(" + placeholder_list(width) + ")";
    std::string rows;
    for (std::size_t i = 0; i < count; ++i) {
        rows += i == 0 ? row : ", " + row;
    }
    return rows;
}

inline std::string text_or_empty(const SQLite::Column& column) {
    return column.isNull() ? std::string() : column.getString();
}

} // namespace pheu::store
