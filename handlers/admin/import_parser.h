#pragma once
// A shop moving to pheu brings its history: customers and past orders, as JSON or as the CSV
// its spreadsheet exports (POST /api/v1/import). Each row becomes an event of source "import":
// the worker records identities, profiles, orders and stages at the events' own times, and
// fires no rule and writes no message for them. Pure: the request in, the events or the first
// bad row (its JSON path, or its spreadsheet line) out.
#include "common/shop_time.h"
#include "handlers/ingress/events_api_parser.h"
#include "handlers/ingress/parsed_event.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::handlers {

// Its label in the metrics: the imported events' source.
inline constexpr const char* k_import_source = bot::event_source_id(bot::EventSource::imported);
inline constexpr std::size_t k_max_import_rows = 5000;

struct ImportParseResult {
    std::vector<ParsedEvent> events;
    std::optional<common::InputError> error; // path like /orders/3/total, or /line/12/total for CSV
};

// {"customers":[…],"orders":[…]}. A customer: at least one of external_id, phone,
// zalo_user_id, messenger_psid; name, birthday, gender, last_interaction_at optional. An order:
// order_id, total (VND), placed_at (RFC 3339, epoch ms, dd/mm/yyyy or yyyy-mm-dd), a customer
// key as above, optionally name, items and cancelled. Dates alone mean noon, shop time.
ImportParseResult parse_import_json(const nlohmann::json& body, const common::ShopTime& clock, std::int64_t now_ms);

// The same rows from a CSV file of one kind ("customers" or "orders"), header named as the
// JSON fields, as Excel writes it in Vietnam (bot/playbook/spreadsheet_csv.h).
ImportParseResult parse_import_csv(const std::string& text, const std::string& kind, const common::ShopTime& clock,
                                   std::int64_t now_ms);

} // namespace pheu::handlers
