#pragma once
// pheu's SQL is written once, in SQLite's dialect: parameters `?`, `?NNN` and `:name`, and
// a few of SQLite's JSON functions. PostgreSQL numbers its parameters ($1, $2, …) and names
// those functions otherwise; this is where the one becomes the other. Pure.
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pheu::store::sql {

struct NumberedSql {
    std::string text;
    int count = 0; // how many parameters PostgreSQL sees ($1 … $count)
    // SQLite's parameter index → PostgreSQL's number; 0 where SQLite's index is not used
    // in the text ("WHERE id = ?2" binds index 1 too, which SQLite allows).
    std::vector<int> positions;
    std::map<std::string, int, std::less<>> names; // ":name" → SQLite's index
};

// `sql` for PostgreSQL. Outside string literals, quoted identifiers and comments:
// - parameters get SQLite's indexes (`?NNN` is NNN, `?` the largest so far + 1, a `:name`
//   the next at its first appearance and the same after), then PostgreSQL's numbers in
//   order of first appearance, so every number in the text is used. A `::` (a cast) is no
//   parameter.
// - json_object( and json_group_array( are PostgreSQL's json_build_object( and json_agg(;
//   json_each( (over an array) is pheu_json_each( of PostgreSQL's schema.
// - SQLite's `IS NOT <value>` is IS DISTINCT FROM (IS NOT NULL, TRUE and FALSE stay).
NumberedSql numbered_parameters(const std::string& sql);

} // namespace pheu::store::sql
