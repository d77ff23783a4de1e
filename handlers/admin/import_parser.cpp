#include "handlers/admin/import_parser.h"

#include "common/crypto.h"
#include "common/phone.h"
#include "bot/playbook/spreadsheet_csv.h"
#include "common/time_format.h"

#include <cstdio>
#include <utility>

namespace pheu::handlers {

using nlohmann::json;

namespace {

// Stops at the first bad row; caught by guarded(), never escapes.
[[noreturn]] void fail(const std::string& path, const std::string& message, const std::string& code = "invalid_field") {
    throw common::InputRejected({.code = code, .message = message, .path = path});
}

std::string text_of(const json& row, const char* key, const std::string& path) {
    const auto found = row.find(key);
    if (found == row.end() || found->is_null()) {
        return {};
    }
    if (found->is_string()) {
        return found->get<std::string>();
    }
    if (found->is_number_integer() || found->is_number_unsigned()) {
        return found->dump();
    }
    fail(path + "/" + key, std::string(key) + " must be text");
}

// RFC 3339, epoch milliseconds, or a date alone as spreadsheets write it (dd/mm/yyyy,
// yyyy-mm-dd), taken as noon in the shop's timezone.
std::optional<std::int64_t> time_of(const json& value, const common::ShopTime& clock) {
    if (value.is_number_integer() && value.get<std::int64_t>() > 0) {
        return value.get<std::int64_t>();
    }
    if (!value.is_string()) {
        return std::nullopt;
    }
    const std::string text = value.get<std::string>();
    if (auto parsed = common::parse_rfc3339_ms(text)) {
        return parsed;
    }
    int a = 0;
    int b = 0;
    int c = 0;
    char s1 = 0;
    char s2 = 0;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%d%c%d%c%d%c", &a, &s1, &b, &s2, &c, &extra) != 5 || s1 != s2) {
        return std::nullopt;
    }
    common::LocalDate date;
    if (s1 == '-' && a > 31) {
        date = common::LocalDate{a, static_cast<unsigned>(b), static_cast<unsigned>(c)};
    } else if (s1 == '/' || s1 == '-' || s1 == '.') {
        date = common::LocalDate{c, static_cast<unsigned>(b), static_cast<unsigned>(a)};
    } else {
        return std::nullopt;
    }
    if (date.year < 1970 || date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31) {
        return std::nullopt;
    }
    return clock.utc_of(date, 12 * 60);
}

bot::CustomerRef customer_of(const json& row, const std::string& path) {
    bot::CustomerRef customer;
    customer.external_id = text_of(row, "external_id", path);
    customer.zalo_user_id = text_of(row, "zalo_user_id", path);
    customer.messenger_psid = text_of(row, "messenger_psid", path);
    customer.name = text_of(row, "name", path);
    if (const std::string phone = text_of(row, "phone", path); !phone.empty()) {
        const auto normalised = common::normalise_phone(phone);
        if (!normalised) {
            fail(path + "/phone", "phone must be a Vietnamese number (0912…, +84912… or 84912…)");
        }
        customer.phone = *normalised;
    }
    if (customer.external_id.empty() && customer.zalo_user_id.empty() && customer.messenger_psid.empty() &&
        customer.phone.empty()) {
        fail(path, "a row needs at least one of external_id, phone, zalo_user_id, messenger_psid");
    }
    return customer;
}

ParsedEvent customer_event(const json& row, const std::string& path, const common::ShopTime& clock,
                           std::int64_t now_ms) {
    if (!row.is_object()) {
        fail(path, "a customer is an object");
    }
    bot::InboundEvent event;
    event.source = bot::EventSource::imported;
    event.name = "import_customer";
    event.kind = bot::kind::info_submitted;
    event.customer = customer_of(row, path);
    event.occurred_at_ms = now_ms;
    if (const auto last = row.find("last_interaction_at"); last != row.end() && !last->is_null()) {
        const auto at = time_of(*last, clock);
        if (!at || *at > now_ms + 10 * 60 * 1000) {
            fail(path + "/last_interaction_at", "last_interaction_at must be a past time (RFC 3339 or dd/mm/yyyy)");
        }
        // Their last contact counts as an interaction then: stages and temperature start right.
        event.occurred_at_ms = *at;
        event.interaction = true;
    }
    event.content = json::object();
    for (const char* field : {"name", "birthday", "gender"}) {
        if (const std::string value = text_of(row, field, path); !value.empty()) {
            event.content[field] = value;
        }
    }
    // The same row imported twice is stored once.
    event.dedupe_key = "import:customer:" + common::sha256_hex({row.dump()});
    return ParsedEvent{std::move(event), row.dump()};
}

// The events API's own checks, with its paths put back into the import's terms.
std::string import_path(const std::string& path, const std::string& api_path) {
    for (const auto& [api, field] : {std::pair{"/occurred_at", "/placed_at"}, std::pair{"/event_id", "/order_id"}}) {
        if (api_path == api) {
            return path + field;
        }
    }
    for (const char* prefix : {"/properties", "/customer"}) {
        const std::string_view p = prefix;
        if (api_path.compare(0, p.size(), p) == 0) {
            return path + api_path.substr(p.size());
        }
    }
    return path + api_path;
}

ParsedEvent api_event(const json& event, const std::string& path, std::int64_t now_ms, const std::string& dedupe_key) {
    auto parsed = parse_events_request(event, now_ms);
    if (parsed.error) {
        fail(import_path(path, parsed.error->path), parsed.error->message, parsed.error->code);
    }
    ParsedEvent result = std::move(parsed.events.at(0));
    result.event.source = bot::EventSource::imported;
    result.event.dedupe_key = dedupe_key;
    return result;
}

void order_events(const json& row, const std::string& path, const common::ShopTime& clock, std::int64_t now_ms,
                  std::vector<ParsedEvent>& events) {
    if (!row.is_object()) {
        fail(path, "an order is an object");
    }
    const bot::CustomerRef ref = customer_of(row, path);
    const std::string order_id = text_of(row, "order_id", path);
    if (order_id.empty()) {
        fail(path + "/order_id", "order_id is required");
    }
    const auto placed = row.find("placed_at");
    const auto placed_at = placed == row.end() ? std::nullopt : time_of(*placed, clock);
    if (!placed_at) {
        fail(path + "/placed_at", "placed_at is required: RFC 3339, epoch milliseconds, dd/mm/yyyy or yyyy-mm-dd");
    }
    json customer = json::object();
    for (const auto& [key, value] : {std::pair{"external_id", ref.external_id}, std::pair{"phone", ref.phone},
                                     std::pair{"zalo_user_id", ref.zalo_user_id},
                                     std::pair{"messenger_psid", ref.messenger_psid}, std::pair{"name", ref.name}}) {
        if (!value.empty()) {
            customer[key] = value;
        }
    }
    json properties = {{"order_id", order_id}, {"total", row.contains("total") ? row["total"] : json(nullptr)}};
    if (row.contains("items")) {
        properties["items"] = row["items"];
    }
    const json purchase = {{"event_id", "import-" + order_id},
                           {"type", "purchase"},
                           {"occurred_at", *placed_at},
                           {"customer", customer},
                           {"properties", properties}};
    events.push_back(api_event(purchase, path, now_ms, "import:order:" + order_id));
    const auto cancelled = row.find("cancelled");
    if (cancelled != row.end() && !cancelled->is_null() && !cancelled->is_boolean()) {
        fail(path + "/cancelled", "cancelled must be true or false");
    }
    if (cancelled != row.end() && cancelled->is_boolean() && cancelled->get<bool>()) {
        const json cancel = {{"event_id", "import-cancel-" + order_id},
                             {"type", "order_cancelled"},
                             {"occurred_at", *placed_at + 1},
                             {"customer", customer},
                             {"properties", {{"order_id", order_id}}}};
        events.push_back(api_event(cancel, path, now_ms, "import:cancel:" + order_id));
    }
}

const json& list_of(const json& body, const char* key) {
    static const json empty = json::array();
    const auto found = body.find(key);
    if (found == body.end()) {
        return empty;
    }
    if (!found->is_array()) {
        fail(std::string("/") + key, std::string(key) + " must be an array");
    }
    return *found;
}

ImportParseResult guarded(const std::function<void(std::vector<ParsedEvent>&)>& parse) {
    ImportParseResult result;
    try {
        parse(result.events);
    } catch (const common::InputRejected& rejected) {
        result.events.clear();
        result.error = rejected.error();
    }
    return result;
}

} // namespace

ImportParseResult parse_import_json(const json& body, const common::ShopTime& clock, std::int64_t now_ms) {
    return guarded([&](std::vector<ParsedEvent>& events) {
        if (!body.is_object()) {
            fail("", "the body is {\"customers\":[…],\"orders\":[…]}", "invalid_body");
        }
        const json& customers = list_of(body, "customers");
        const json& orders = list_of(body, "orders");
        if (customers.empty() && orders.empty()) {
            fail("", "nothing to import: give customers, orders or both");
        }
        if (customers.size() + orders.size() > k_max_import_rows) {
            fail("", "at most " + std::to_string(k_max_import_rows) + " rows per request", "too_many_rows");
        }
        for (std::size_t i = 0; i < customers.size(); ++i) {
            events.push_back(customer_event(customers[i], "/customers/" + std::to_string(i), clock, now_ms));
        }
        for (std::size_t i = 0; i < orders.size(); ++i) {
            order_events(orders[i], "/orders/" + std::to_string(i), clock, now_ms, events);
        }
    });
}

ImportParseResult parse_import_csv(const std::string& text, const std::string& kind, const common::ShopTime& clock,
                                   std::int64_t now_ms) {
    return guarded([&](std::vector<ParsedEvent>& events) {
        if (kind != "customers" && kind != "orders") {
            fail("kind", "a CSV import says what it holds: ?kind=customers or ?kind=orders");
        }
        auto read = bot::read_csv_table(text);
        if (auto* problem = std::get_if<common::InputError>(&read)) {
            throw common::InputRejected(*problem);
        }
        const auto& table = std::get<bot::CsvTable>(read);
        if (table.rows.size() > k_max_import_rows) {
            fail("", "at most " + std::to_string(k_max_import_rows) + " rows per request", "too_many_rows");
        }
        for (const auto& row : table.rows) {
            // The row as the JSON import has it: amounts and booleans as Excel writes them.
            json object = json::object();
            for (std::size_t c = 0; c < table.header.size(); ++c) {
                const std::string& column = table.header[c];
                const std::string& value = row.fields[c];
                if (value.empty()) {
                    continue;
                }
                if (column == "total") {
                    const auto amount = bot::parse_vn_amount(value);
                    object[column] = amount ? json(*amount) : json(value);
                } else if (column == "cancelled") {
                    const auto flag = bot::parse_vn_bool(value);
                    object[column] = flag ? json(*flag) : json(value);
                } else {
                    object[column] = value;
                }
            }
            const std::string path = "/line/" + std::to_string(row.line);
            try {
                if (kind == "customers") {
                    events.push_back(customer_event(object, path, clock, now_ms));
                } else {
                    order_events(object, path, clock, now_ms, events);
                }
            } catch (const common::InputRejected& rejected) {
                common::InputError error = rejected.error();
                error.message = "line " + std::to_string(row.line) + ": " + error.message;
                throw common::InputRejected(std::move(error));
            }
        }
    });
}

} // namespace pheu::handlers
