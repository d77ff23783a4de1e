#include "bot/playbook/product_csv.h"

#include <algorithm>
#include <array>
#include <vector>

namespace pheu::bot {

using nlohmann::json;

namespace {

constexpr std::array k_columns = {"sku", "name", "category", "price", "url", "image_url", "in_stock"};

} // namespace

std::variant<CsvProducts, common::InputError> products_from_csv(const std::string& text) {
    auto parsed = read_csv_table(text);
    if (auto* problem = std::get_if<common::InputError>(&parsed)) {
        return *problem;
    }
    const auto& table = std::get<CsvTable>(parsed);
    for (const auto& column : table.header) {
        if (std::find(k_columns.begin(), k_columns.end(), column) == k_columns.end()) {
            return csv_problem(1, "unknown column \"" + column +
                                      "\" (known: sku, name, category, price, url, image_url, in_stock)");
        }
    }
    for (const char* required : {"sku", "name"}) {
        if (std::find(table.header.begin(), table.header.end(), required) == table.header.end()) {
            return csv_problem(1, std::string("the header needs a ") + required + " column");
        }
    }
    CsvProducts products;
    for (const auto& row : table.rows) {
        json product = json::object();
        for (std::size_t c = 0; c < table.header.size(); ++c) {
            const std::string& value = row.fields[c];
            const std::string& column = table.header[c];
            if (column == "price") {
                // A Vietnamese amount ("199.000"); anything else stays text, so the JSON check names it.
                const auto amount = parse_vn_amount(value);
                product["price"] = amount ? json(*amount) : json(value);
            } else if (column == "in_stock") {
                if (const auto in_stock = parse_vn_bool(value)) {
                    product["in_stock"] = *in_stock;
                } else if (!value.empty()) {
                    product["in_stock"] = value;
                }
            } else if (!value.empty()) {
                product[column] = value;
            }
        }
        products.products.push_back(std::move(product));
        products.lines.push_back(row.line);
    }
    return products;
}

} // namespace pheu::bot
