#pragma once
// The catalog as a CSV file, the way a shop exports it from a spreadsheet: a header row
// naming the columns (sku and name required; category, price, url, image_url, in_stock
// optional, in any order), then one product per line, as Excel writes it in Vietnam
// (bot/playbook/spreadsheet_csv.h). Pure: text in, the products as JSON objects out, which then pass
// the same checks as a JSON import.
#include "bot/playbook/spreadsheet_csv.h"

#include <nlohmann/json.hpp>

#include <string>
#include <variant>
#include <vector>

namespace pheu::bot {

struct CsvProducts {
    nlohmann::json products = nlohmann::json::array();
    std::vector<std::size_t> lines; // the spreadsheet line of each product, for its errors
};

std::variant<CsvProducts, common::InputError> products_from_csv(const std::string& text);

} // namespace pheu::bot
