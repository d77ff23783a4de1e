#pragma once
// pheu's SQL is written once, with SQLite's `?` parameters; PostgreSQL numbers its own
// ($1, $2, …). Pure.
#include <string>

namespace pheu::store::sql {

// `sql` with each `?` outside string literals, quoted identifiers and comments replaced by
// $1, $2, … in order. `count`, when given, receives how many there were.
std::string numbered_parameters(const std::string& sql, int* count = nullptr);

} // namespace pheu::store::sql
