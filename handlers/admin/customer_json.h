#pragma once
// A customer as the admin API shows it: the JSON object of the customer endpoints and a
// segment's members, and the CSV row of the exports.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace pheu::store {
struct CustomerView;
}

namespace pheu::handlers {

nlohmann::json customer_json(const store::CustomerView& view, std::int64_t now);

// Ad platforms match audiences by phone; the Zalo and Messenger ids serve the OA's own tags
// and Meta's custom audiences.
std::string customer_csv_header();
std::string customer_csv_row(const store::CustomerView& view);

} // namespace pheu::handlers
