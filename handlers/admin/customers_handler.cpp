#include "handlers/admin/customers_handler.h"

#include "common/phone.h"
#include "bot/stage.h"
#include "bot/customers/stage_engine.h"
#include "common/time_format.h"
#include "handlers/admin/admin_common.h"
#include "handlers/admin/customer_json.h"
#include "handlers/http/json_error.h"
#include "handlers/admin/messages_handler.h"
#include "store/customer_queries.h"
#include "store/read_pool.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

using nlohmann::json;

namespace {

constexpr int k_default_limit = 50;
constexpr int k_max_limit = 500;
constexpr int k_timeline_limit = 200;

HttpReply not_found() {
    return json_error(404, "not_found", "No customer has this id.");
}

} // namespace

CustomersHandler::CustomersHandler(store::ReadPool& reads, std::function<std::int64_t()> clock)
    : m_reads(reads), m_clock(std::move(clock)) {}

namespace {

struct ListQuery {
    store::CustomerFilter filter;
    std::optional<std::string> temperature; // hot | warm | cold: new leads only
};

// The list's query parameters, checked; the 400 reply naming the bad one otherwise.
std::variant<ListQuery, HttpReply> list_query_of(const HttpRequestView& request) {
    ListQuery list;
    store::CustomerFilter& filter = list.filter;
    // Identity lookups, one at a time: the query parameter names the channel.
    const std::pair<const char*, const char*> lookups[] = {{"zalo_user_id", "zalo"},
                                                           {"zalo_app_user_id", "zalo_app"},
                                                           {"messenger_psid", "messenger"},
                                                           {"phone", "phone"},
                                                           {"external_id", "external"}};
    for (const auto& [parameter, channel] : lookups) {
        std::string value = request.query(parameter);
        if (value.empty()) {
            continue;
        }
        if (filter.identity) {
            return json_error(400, "invalid_query", "Look a customer up by one identity at a time.", parameter);
        }
        if (std::string_view(channel) == "phone") {
            auto normalised = common::normalise_phone(value);
            if (!normalised) {
                return json_error(400, "invalid_query", "phone must be a Vietnamese number.", "phone");
            }
            value = *normalised;
        }
        filter.identity = std::make_pair(std::string(channel), value);
    }
    if (const std::string stage = request.query("stage"); !stage.empty()) {
        if (!bot::parse_stage(stage)) {
            return json_error(400, "invalid_query", "stage must be new_lead, new_customer, frequent_buyer or dormant.",
                              "stage");
        }
        filter.stage = stage;
    }
    if (const std::string limit = request.query("limit"); !limit.empty()) {
        auto value = parse_positive(limit);
        if (!value || *value < 1 || *value > k_max_limit) {
            return json_error(400, "invalid_query", "limit must be a whole number from 1 to 500.", "limit");
        }
        filter.limit = static_cast<int>(*value);
    } else {
        filter.limit = k_default_limit;
    }
    auto cursor = cursor_param(request);
    if (auto* reply = std::get_if<HttpReply>(&cursor)) {
        return *reply;
    }
    filter.after_id = std::get<std::optional<std::int64_t>>(cursor).value_or(0);
    if (const std::string search = request.query("q"); !search.empty()) {
        filter.search = search;
        if (auto phone = common::normalise_phone(search)) {
            filter.search_phone = *phone;
        }
    }
    if (const std::string temperature = request.query("temperature"); !temperature.empty()) {
        if (temperature != "hot" && temperature != "warm" && temperature != "cold") {
            return json_error(400, "invalid_query", "temperature must be hot, warm or cold.", "temperature");
        }
        list.temperature = temperature;
    }
    return list;
}

bool has_temperature(const store::CustomerView& view, const std::optional<std::string>& temperature, std::int64_t now) {
    if (!temperature) {
        return true;
    }
    return view.stage == bot::stage_id(bot::Stage::new_lead) &&
           bot::temperature_id(bot::lead_temperature(view.last_interaction_at, view.interaction_count, now)) ==
               *temperature;
}

} // namespace

HttpReply CustomersHandler::list(const HttpRequestView& request) const {
    auto parsed = list_query_of(request);
    if (auto* reply = std::get_if<HttpReply>(&parsed)) {
        return *reply;
    }
    ListQuery& query = std::get<ListQuery>(parsed);
    const int page_size = query.filter.limit;
    const std::int64_t now = m_clock();
    auto lease = m_reads.lease();
    store::CustomerQueries queries(lease.db());
    // A temperature is computed, not stored: rows are read in id order until a page is full
    // (or a bounded number of rows was looked at: the cursor then continues from there).
    std::vector<store::CustomerView> views;
    json next_cursor = nullptr;
    query.filter.limit = page_size + 1; // one more than asked tells whether another page exists
    for (int scans = 0;; ++scans) {
        auto batch = queries.list(query.filter);
        const bool exhausted = batch.size() < static_cast<std::size_t>(query.filter.limit);
        for (auto& view : batch) {
            if (views.size() == static_cast<std::size_t>(page_size)) {
                break;
            }
            query.filter.after_id = view.id;
            if (has_temperature(view, query.temperature, now)) {
                views.push_back(std::move(view));
            }
        }
        const bool page_full = views.size() == static_cast<std::size_t>(page_size);
        if ((page_full && !(exhausted && batch.size() <= static_cast<std::size_t>(page_size))) ||
            (!exhausted && scans == 49)) {
            next_cursor = std::to_string(query.filter.after_id);
            break;
        }
        if (exhausted || page_full) {
            break;
        }
    }
    json items = json::array();
    for (const auto& view : views) {
        items.push_back(customer_json(view, now));
    }
    return ok_json({{"items", items}, {"next_cursor", next_cursor}});
}

HttpReply CustomersHandler::export_csv(const HttpRequestView& request) const {
    auto parsed = list_query_of(request);
    if (auto* reply = std::get_if<HttpReply>(&parsed)) {
        return *reply;
    }
    ListQuery& query = std::get<ListQuery>(parsed);
    query.filter.limit = 500;
    const std::int64_t now = m_clock();
    auto lease = m_reads.lease();
    store::CustomerQueries queries(lease.db());
    std::string csv = customer_csv_header();
    for (;;) {
        const auto batch = queries.list(query.filter);
        for (const auto& view : batch) {
            query.filter.after_id = view.id;
            if (!has_temperature(view, query.temperature, now)) {
                continue;
            }
            csv += customer_csv_row(view);
        }
        if (batch.size() < 500) {
            break;
        }
    }
    const std::string name =
        "pheu-customers" + (query.filter.stage ? "-" + *query.filter.stage : std::string()) + ".csv";
    return HttpReply{
        200, csv, "text/csv; charset=utf-8", {{"Content-Disposition", "attachment; filename=\"" + name + "\""}}};
}

std::optional<store::CustomerView> CustomersHandler::find(const HttpRequestView& request,
                                                          store::CustomerQueries& queries) {
    const auto id = parse_positive(request.path_params.at(0));
    return id ? queries.get(*id) : std::nullopt;
}

HttpReply CustomersHandler::with_customer(
    const HttpRequestView& request,
    const std::function<HttpReply(const store::CustomerView&, store::CustomerQueries&)>& render) const {
    auto lease = m_reads.lease();
    store::CustomerQueries queries(lease.db());
    const auto view = find(request, queries);
    return view ? render(*view, queries) : not_found();
}

HttpReply CustomersHandler::get(const HttpRequestView& request) const {
    return with_customer(request, [&](const store::CustomerView& view, store::CustomerQueries& queries) {
        json customer = customer_json(view, m_clock());
        json history = json::array();
        for (const auto& row : queries.stage_history(view.id)) {
            history.push_back({{"from", text_or_null(row.from_stage)},
                               {"to", row.to_stage},
                               {"at", common::format_rfc3339_utc(row.changed_at)},
                               {"reason", row.reason}});
        }
        customer["stage_history"] = history;
        json timeline = json::array();
        for (const auto& row : queries.timeline(view.id, k_timeline_limit)) {
            json event = json::parse(row.event_json, nullptr, false);
            timeline.push_back(
                {{"seq", row.seq},
                 {"source", row.source},
                 {"kind", row.kind},
                 {"name", event.is_object() ? event.value("name", "") : ""},
                 {"occurred_at", common::format_rfc3339_utc(row.occurred_at)},
                 {"content", event.is_object() && event.contains("content") ? event["content"] : json()}});
        }
        customer["timeline"] = timeline;
        return ok_json(customer);
    });
}

HttpReply CustomersHandler::messages(const HttpRequestView& request) const {
    return with_customer(request, [&](const store::CustomerView& view, store::CustomerQueries& queries) {
        json items = json::array();
        for (const auto& row : queries.messages(view.id)) {
            items.push_back(message_json(row));
        }
        return ok_json({{"items", items}});
    });
}

} // namespace pheu::handlers
