#include "store/sql/placeholders.h"

#include <algorithm>

namespace pheu::store::sql {

namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

} // namespace

NumberedSql numbered_parameters(const std::string& sql) {
    NumberedSql result;
    std::string& numbered = result.text;
    numbered.reserve(sql.size() + 16);
    int& parameters = result.count;
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
        } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            // ?NNN: that parameter; a plain ? after it takes the largest number so far + 1.
            std::size_t end = i + 1;
            while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') {
                ++end;
            }
            const int number = std::stoi(sql.substr(i + 1, end - i - 1));
            parameters = std::max(parameters, number);
            numbered += '$';
            numbered += std::to_string(number);
            i = end;
        } else if (c == '?') {
            numbered += '$';
            numbered += std::to_string(++parameters);
            ++i;
        } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
            numbered += "::"; // a cast
            i += 2;
        } else if (c == ':' && i + 1 < sql.size() && is_name_char(sql[i + 1]) &&
                   (i == 0 || !is_name_char(sql[i - 1]))) {
            std::size_t end = i + 1;
            while (end < sql.size() && is_name_char(sql[end])) {
                ++end;
            }
            const auto [at, added] = result.names.emplace(sql.substr(i, end - i), parameters + 1);
            if (added) {
                ++parameters;
            }
            numbered += '$';
            numbered += std::to_string(at->second);
            i = end;
        } else {
            numbered += c;
            ++i;
        }
    }
    return result;
}

} // namespace pheu::store::sql
