#include "bot/product_csv.h"

#include <algorithm>
#include <array>
#include <vector>

namespace pheu::bot {

using nlohmann::json;

namespace {

constexpr std::array k_columns = {"sku", "name", "category", "price", "url", "image_url", "in_stock"};

struct Record {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

// RFC 4180 records; a UTF-8 byte order mark (Excel writes one) is skipped.
std::variant<std::vector<Record>, CsvProblem> records_of(const std::string& text) {
    std::vector<Record> records;
    std::size_t i = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    std::size_t line = 1;
    while (i < text.size()) {
        Record record{line, {}};
        std::string field;
        bool quoted = false;
        bool record_done = false;
        while (!record_done) {
            if (i >= text.size()) {
                if (quoted) {
                    return CsvProblem{record.line, "a quoted field is not closed"};
                }
                record_done = true;
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
            } else if (c == ',') {
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
        const bool blank = record.fields.size() == 1 && record.fields[0].empty();
        if (!blank) {
            records.push_back(std::move(record));
        }
    }
    return records;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

} // namespace

std::variant<json, CsvProblem> products_from_csv(const std::string& text) {
    auto parsed = records_of(text);
    if (auto* problem = std::get_if<CsvProblem>(&parsed)) {
        return *problem;
    }
    const auto& records = std::get<std::vector<Record>>(parsed);
    if (records.empty()) {
        return CsvProblem{1, "the file is empty; its first line names the columns (sku,name,price,…)"};
    }
    std::vector<std::string> header;
    for (const auto& name : records[0].fields) {
        std::string column = trimmed(name);
        std::transform(column.begin(), column.end(), column.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (std::find(k_columns.begin(), k_columns.end(), column) == k_columns.end()) {
            return CsvProblem{1, "unknown column \"" + column + "\" (known: sku, name, category, price, url, image_url, in_stock)"};
        }
        header.push_back(column);
    }
    for (const char* required : {"sku", "name"}) {
        if (std::find(header.begin(), header.end(), required) == header.end()) {
            return CsvProblem{1, std::string("the header needs a ") + required + " column"};
        }
    }
    json products = json::array();
    for (std::size_t r = 1; r < records.size(); ++r) {
        const Record& record = records[r];
        if (record.fields.size() != header.size()) {
            return CsvProblem{record.line, "has " + std::to_string(record.fields.size()) + " fields; the header has " +
                                               std::to_string(header.size())};
        }
        json product = json::object();
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string value = trimmed(record.fields[c]);
            if (header[c] == "price") {
                // "199000" or "199.000" (a Vietnamese thousands separator); anything else stays
                // text, so the JSON check names it.
                std::string digits;
                std::copy_if(value.begin(), value.end(), std::back_inserter(digits), [](char ch) { return ch != '.'; });
                const bool numeric = !digits.empty() && digits.size() <= 15 &&
                                     std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
                product["price"] = numeric ? json(std::stoll(digits)) : json(value);
            } else if (header[c] == "in_stock") {
                if (value == "1" || value == "true" || value == "có" || value == "yes") {
                    product["in_stock"] = true;
                } else if (value == "0" || value == "false" || value == "không" || value == "no" || value == "hết") {
                    product["in_stock"] = false;
                } else if (!value.empty()) {
                    product["in_stock"] = value;
                }
            } else if (!value.empty()) {
                product[header[c]] = value;
            }
        }
        products.push_back(std::move(product));
    }
    return products;
}

} // namespace pheu::bot
