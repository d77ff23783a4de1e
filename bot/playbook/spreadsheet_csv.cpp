#include "bot/playbook/spreadsheet_csv.h"

#include "common/text_fold.h"

#include <algorithm>
#include <cctype>

namespace pheu::bot {

namespace {

struct Record {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

// The separator the header line uses: Excel in a Vietnamese locale writes ";".
char separator_of(const std::string& text, std::size_t from) {
    std::size_t semicolons = 0;
    std::size_t commas = 0;
    bool quoted = false;
    for (std::size_t i = from; i < text.size() && (quoted || (text[i] != '\n' && text[i] != '\r')); ++i) {
        if (text[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && text[i] == ';') {
            ++semicolons;
        } else if (!quoted && text[i] == ',') {
            ++commas;
        }
    }
    return semicolons > commas ? ';' : ',';
}

std::variant<std::vector<Record>, common::InputError> records_of(const std::string& text) {
    std::vector<Record> records;
    std::size_t i = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    const char separator = separator_of(text, i);
    std::size_t line = 1;
    while (i < text.size()) {
        Record record{line, {}};
        std::string field;
        bool quoted = false;
        bool record_done = false;
        while (!record_done) {
            if (i >= text.size()) {
                if (quoted) {
                    return csv_problem(record.line, "a quoted field is not closed");
                }
                break;
            }
            const char c = text[i++];
            if (quoted) {
                if (c == '"' && i < text.size() && text[i] == '"') {
                    field += '"';
                    ++i;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
                    field += c;
                }
            } else if (c == '"' && field.empty()) {
                quoted = true;
            } else if (c == separator) {
                record.fields.push_back(std::move(field));
                field.clear();
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i < text.size() && text[i] == '\n') {
                    ++i;
                }
                ++line;
                record_done = true;
            } else {
                field += c;
            }
        }
        record.fields.push_back(std::move(field));
        const bool blank = std::all_of(record.fields.begin(), record.fields.end(), [](const std::string& value) {
            return value.find_first_not_of(" \t") == std::string::npos;
        });
        if (!blank) {
            records.push_back(std::move(record));
        }
    }
    return records;
}

std::string lower_ascii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

} // namespace

common::InputError csv_problem(std::size_t line, const std::string& what) {
    const std::string where = std::to_string(line);
    return {.code = "invalid_csv", .message = "line " + where + ": " + what, .path = "/line/" + where, .line = line};
}

std::variant<CsvTable, common::InputError> read_csv_table(const std::string& text) {
    auto parsed = records_of(text);
    if (auto* problem = std::get_if<common::InputError>(&parsed)) {
        return *problem;
    }
    auto& records = std::get<std::vector<Record>>(parsed);
    if (records.empty()) {
        return csv_problem(1, "the file is empty; its first line names the columns");
    }
    CsvTable table;
    for (const auto& name : records[0].fields) {
        table.header.push_back(lower_ascii(common::trimmed(name, " \t")));
    }
    for (std::size_t r = 1; r < records.size(); ++r) {
        Record& record = records[r];
        if (record.fields.size() != table.header.size()) {
            return csv_problem(record.line, "has " + std::to_string(record.fields.size()) + " fields; the header has " +
                                                std::to_string(table.header.size()));
        }
        CsvRow row{record.line, {}};
        for (auto& field : record.fields) {
            row.fields.push_back(common::trimmed(field, " \t"));
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

std::optional<std::int64_t> parse_vn_amount(std::string_view text) {
    std::string value(text);
    for (const char* suffix : {"đ", "vnd", "VND", "₫"}) {
        const std::string_view s = suffix;
        if (value.size() > s.size() && value.compare(value.size() - s.size(), s.size(), s) == 0) {
            value.erase(value.size() - s.size());
        }
    }
    value = common::trimmed(value, " \t");
    if (value.empty()) {
        return std::nullopt;
    }
    // Separators only between groups of three digits: "1.299.000", "199,000".
    std::string digits;
    std::size_t group = 0;
    bool separated = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c >= '0' && c <= '9') {
            digits += c;
            ++group;
        } else if ((c == '.' || c == ',' || c == ' ') && i > 0 && (!separated || group == 3)) {
            separated = true;
            group = 0;
        } else {
            return std::nullopt;
        }
    }
    if ((separated && group != 3) || digits.empty() || digits.size() > 15) {
        return std::nullopt;
    }
    return std::stoll(digits);
}

std::string csv_cell(std::string_view text) {
    const bool formula = !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
    if (!formula && text.find_first_of(",;\"\n\r") == std::string_view::npos) {
        return std::string(text);
    }
    std::string quoted = formula ? "\"'" : "\"";
    for (const char c : text) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

std::optional<bool> parse_vn_bool(std::string_view text) {
    const std::string value = lower_ascii(std::string(text));
    if (value == "true" || value == "1" || value == "yes" || value == "có" || value == "co" || value == "x") {
        return true;
    }
    if (value == "false" || value == "0" || value == "no" || value == "không" || value == "khong" || value == "hết" ||
        value == "het") {
        return false;
    }
    return std::nullopt;
}

} // namespace pheu::bot
