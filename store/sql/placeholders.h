#pragma once
// pheu's SQL is written once, with SQLite's parameters: `?`, `?NNN` and `:name`. PostgreSQL numbers
// its own ($1, $2, …). Pure.
#include <functional>
#include <map>
#include <string>

namespace pheu::store::sql {

struct NumberedSql {
    std::string text;
    int count = 0;                                 // how many distinct parameters
    std::map<std::string, int, std::less<>> names; // ":name" → its number
};

// `sql` with each parameter outside string literals, quoted identifiers and comments
// numbered as SQLite numbers them: `?NNN` is number NNN, each `?` takes the largest
// number so far + 1, a `:name` takes the next at its first appearance and the same one after. A `::`
// (PostgreSQL's cast) is not a parameter.
NumberedSql numbered_parameters(const std::string& sql);

} // namespace pheu::store::sql
