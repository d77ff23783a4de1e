#pragma once
// Small helpers shared by the repositories: binding empty text as NULL, reading NULL
// columns as empty or absent values, and the placeholders of statements over a batch.
#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>

namespace pheu::store {

inline void bind_text_or_null(sql::Statement& statement, int index, const std::string& value) {
    if (value.empty()) {
        statement.bind_null(index);
    } else {
        statement.bind(index, value);
    }
}

inline void bind_optional_int(sql::Statement& statement, int index, const std::optional<std::int64_t>& value) {
    if (value) {
        statement.bind(index, *value);
    } else {
        statement.bind_null(index);
    }
}

inline void bind_optional_text(sql::Statement& statement, int index, const std::optional<std::string>& value) {
    if (value) {
        statement.bind(index, *value);
    } else {
        statement.bind_null(index);
    }
}

inline std::optional<std::int64_t> optional_int(const sql::Statement& row, int column) {
    return row.is_null(column) ? std::nullopt : std::optional<std::int64_t>(row.int64(column));
}

inline std::optional<std::string> optional_text(const sql::Statement& row, int column) {
    return row.is_null(column) ? std::nullopt : std::optional<std::string>(row.text(column));
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

// What a query that claims work appends: on PostgreSQL, the rows it reads stay locked to
// its transaction and another instance's claim passes over them instead of waiting
// (FOR UPDATE SKIP LOCKED, after ORDER BY and LIMIT); on SQLite, whose one writer already
// excludes every other, nothing. `of`: the alias of the one table to lock in a join (the
// rows joined to it are only read).
inline std::string skip_claimed(sql::Backend backend, const std::string& of = {}) {
    if (backend != sql::Backend::postgresql) {
        return {};
    }
    return of.empty() ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE OF " + of + " SKIP LOCKED";
}

inline std::string text_or_empty(const sql::Statement& row, int column) {
    return row.is_null(column) ? std::string() : row.text(column);
}

} // namespace pheu::store
