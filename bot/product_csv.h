#pragma once
// The catalog as a CSV file, the way a shop exports it from a spreadsheet: a header row
// naming the columns (sku and name required; category, price, url, image_url, in_stock
// optional, in any order), then one product per line. Quoted fields may hold commas,
// quotes ("") and line breaks. Pure: text in, the products as JSON objects out, which then
// pass the same checks as a JSON import.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <variant>

namespace pheu::bot {

struct CsvProblem {
    std::size_t line = 0; // 1-based, the header being line 1
    std::string message;
};

std::variant<nlohmann::json, CsvProblem> products_from_csv(const std::string& text);

} // namespace pheu::bot
