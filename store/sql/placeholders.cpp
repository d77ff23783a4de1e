#include "store/sql/placeholders.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace pheu::store::sql {

namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// SQLite's functions with another name in PostgreSQL, same arguments, same answers for the
// way pheu calls them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> k_renamed_functions = {{
    {"json_object(", "json_build_object("},
    {"json_group_array(", "json_agg("},
    {"json_each(", "pheu_json_each("}, // over arrays only (store/postgres/031_baseline.sql)
}};

bool same_word(std::string_view text, std::string_view word) {
    if (text.size() != word.size()) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(text[i])) != word[i]) {
            return false;
        }
    }
    return true;
}

// SQLite's "a IS NOT b" compares values, NULL included; PostgreSQL's IS NOT takes only NULL,
// TRUE, FALSE or DISTINCT after it. When the word at [start, end) begins "IS NOT <value>",
// answers where that IS NOT ends; 0 otherwise.
std::size_t is_not_value(const std::string& sql, std::size_t start, std::size_t end) {
    const auto word_at = [&](std::size_t at) {
        while (at < sql.size() && (sql[at] == ' ' || sql[at] == '\n')) {
            ++at;
        }
        std::size_t stop = at;
        while (stop < sql.size() && is_name_char(sql[stop])) {
            ++stop;
        }
        return std::pair{at, stop};
    };
    if (!same_word(std::string_view(sql).substr(start, end - start), "IS")) {
        return 0;
    }
    const auto [not_start, not_end] = word_at(end);
    if (not_start == not_end || !same_word(std::string_view(sql).substr(not_start, not_end - not_start), "NOT")) {
        return 0;
    }
    const auto [next_start, next_end] = word_at(not_end);
    const std::string_view next = std::string_view(sql).substr(next_start, next_end - next_start);
    for (const std::string_view keyword : {"NULL", "TRUE", "FALSE", "DISTINCT"}) {
        if (same_word(next, keyword)) {
            return 0;
        }
    }
    return not_end;
}

class Numbering {
public:
    explicit Numbering(NumberedSql& result) : m_result(result) {}

    // PostgreSQL's number for SQLite's index `index`.
    int number_of(int index) {
        if (static_cast<std::size_t>(index) >= m_result.positions.size()) {
            m_result.positions.resize(static_cast<std::size_t>(index) + 1, 0);
        }
        int& number = m_result.positions[static_cast<std::size_t>(index)];
        if (number == 0) {
            number = ++m_result.count;
        }
        m_largest = std::max(m_largest, index);
        return number;
    }
    int next_index() const { return m_largest + 1; }

private:
    NumberedSql& m_result;
    int m_largest = 0;
};

} // namespace

NumberedSql numbered_parameters(const std::string& sql) {
    NumberedSql result;
    result.positions.push_back(0); // SQLite's indexes start at 1
    Numbering numbering(result);
    std::string& out = result.text;
    out.reserve(sql.size() + 16);
    std::size_t i = 0;
    const auto parameter = [&](int index) {
        out += '$';
        out += std::to_string(numbering.number_of(index));
    };
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            // A literal or identifier runs to its closing quote; a doubled quote inside it
            // is one quote, and the scan simply goes on through it.
            const std::size_t close = sql.find(c, i + 1);
            const std::size_t end = close == std::string::npos ? sql.size() : close + 1;
            out.append(sql, i, end - i);
            i = end;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const std::size_t newline = sql.find('\n', i);
            const std::size_t end = newline == std::string::npos ? sql.size() : newline;
            out.append(sql, i, end - i);
            i = end;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            const std::size_t close = sql.find("*/", i + 2);
            const std::size_t end = close == std::string::npos ? sql.size() : close + 2;
            out.append(sql, i, end - i);
            i = end;
        } else if (c == '?') {
            std::size_t end = i + 1;
            while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') {
                ++end;
            }
            parameter(end > i + 1 ? std::stoi(sql.substr(i + 1, end - i - 1)) : numbering.next_index());
            i = end;
        } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
            out += "::"; // a cast
            i += 2;
        } else if (c == ':' && i + 1 < sql.size() && is_name_char(sql[i + 1]) &&
                   (i == 0 || !is_name_char(sql[i - 1]))) {
            std::size_t end = i + 1;
            while (end < sql.size() && is_name_char(sql[end])) {
                ++end;
            }
            const auto [at, added] = result.names.emplace(sql.substr(i, end - i), numbering.next_index());
            parameter(at->second);
            i = end;
        } else if (is_name_char(c) && (i == 0 || !is_name_char(sql[i - 1]))) {
            std::size_t end = i;
            while (end < sql.size() && is_name_char(sql[end])) {
                ++end;
            }
            if (const std::size_t after = is_not_value(sql, i, end)) {
                out += "IS DISTINCT FROM";
                i = after;
                continue;
            }
            std::string_view word(sql.data() + i, end - i + (end < sql.size() && sql[end] == '(' ? 1 : 0));
            const auto renamed = std::find_if(k_renamed_functions.begin(), k_renamed_functions.end(),
                                              [&](const auto& pair) { return pair.first == word; });
            if (renamed != k_renamed_functions.end()) {
                out += renamed->second;
                i += word.size();
            } else {
                out.append(sql, i, end - i);
                i = end;
            }
        } else {
            out += c;
            ++i;
        }
    }
    return result;
}

} // namespace pheu::store::sql
