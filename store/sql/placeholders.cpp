#include "store/sql/placeholders.h"

namespace pheu::store::sql {

std::string numbered_parameters(const std::string& sql, int* count) {
    std::string numbered;
    numbered.reserve(sql.size() + 16);
    int parameters = 0;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            // A literal or identifier runs to its closing quote; a doubled quote inside it
            // is one quote, and the scan simply goes on through it.
            const std::size_t close = sql.find(c, i + 1);
            const std::size_t end = close == std::string::npos ? sql.size() : close + 1;
            numbered.append(sql, i, end - i);
            i = end;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const std::size_t newline = sql.find('\n', i);
            const std::size_t end = newline == std::string::npos ? sql.size() : newline;
            numbered.append(sql, i, end - i);
            i = end;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            const std::size_t close = sql.find("*/", i + 2);
            const std::size_t end = close == std::string::npos ? sql.size() : close + 2;
            numbered.append(sql, i, end - i);
            i = end;
        } else if (c == '?') {
            numbered += '$';
            numbered += std::to_string(++parameters);
            ++i;
        } else {
            numbered += c;
            ++i;
        }
    }
    if (count != nullptr) {
        *count = parameters;
    }
    return numbered;
}

} // namespace pheu::store::sql
