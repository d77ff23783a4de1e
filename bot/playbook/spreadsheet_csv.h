#pragma once
// CSV as spreadsheets write it in Vietnam: Excel saves with ";" between fields (the decimal
// comma takes ","), a UTF-8 byte order mark, TRUE/FALSE, and amounts as "199.000" or
// "199,000". Pure: text in, a table with the spreadsheet's own line numbers out, so an error
// names the line a shop sees in Excel.
#include "common/input_error.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pheu::bot {

// A problem on a spreadsheet line (1-based, the header being line 1): code invalid_csv, path
// /line/<line>, and a message that starts with the line, as a shop looks for it in Excel.
common::InputError csv_problem(std::size_t line, const std::string& what);

struct CsvRow {
    std::size_t line = 0;
    std::vector<std::string> fields; // trimmed, one per header column
};

struct CsvTable {
    std::vector<std::string> header; // lower case, trimmed
    std::vector<CsvRow> rows;        // blank lines left out
};

// RFC 4180 records (quoted fields may hold separators, "" and line breaks), separated by ";"
// or "," as the header line uses; every row must have the header's number of fields.
std::variant<CsvTable, common::InputError> read_csv_table(const std::string& text);

// A whole amount of money: "199000", "199.000", "199,000", "1.299.000", "199.000đ"; nullopt
// for anything else (a decimal "199,5", words).
std::optional<std::int64_t> parse_vn_amount(std::string_view text);

// One field of a CSV pheu writes: quoted when it holds a separator, quote or line break, and
// defused when a spreadsheet would read it as a formula (it starts with = + - @, a tab or a
// carriage return: OWASP's "CSV injection"), by a leading apostrophe inside the quotes, which
// Excel and LibreOffice show as text and do not keep. A shopper's name "=HYPERLINK(...)"
// then reaches the shop's spreadsheet as those characters, not as a link.
std::string csv_cell(std::string_view text);

// TRUE/FALSE in any case, 1/0, yes/no, có/không (and "hết", sold out, as false).
std::optional<bool> parse_vn_bool(std::string_view text);

} // namespace pheu::bot
