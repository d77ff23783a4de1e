#include "handlers/customers_handler.h"

#include "bot/phone.h"
#include "bot/stage.h"
#include "bot/stage_engine.h"
#include "bot/time_format.h"
#include "handlers/admin_common.h"
#include "handlers/json_error.h"
#include "store/customer_queries.h"
#include "store/read_pool.h"

#include <nlohmann/json.hpp>


namespace pheu::handlers {

using nlohmann::json;

namespace {

constexpr int k_default_limit = 50;
constexpr int k_max_limit = 500;
constexpr int k_timeline_limit = 200;

json time_or_null(const std::optional<std::int64_t>& epoch_ms) {
    return epoch_ms ? json(bot::format_rfc3339_utc(*epoch_ms)) : json(nullptr);
}

json text_or_null(const std::optional<std::string>& text) {
    return text ? json(*text) : json(nullptr);
}

json parsed_or_null(const std::optional<std::string>& text) {
    if (!text) {
        return nullptr;
    }
    json value = json::parse(*text, nullptr, false);
    return value.is_discarded() ? json(nullptr) : value;
}

json customer_json(const store::CustomerView& view, std::int64_t now) {
    json identities = json::array();
    for (const auto& [channel, id] : view.identities) {
        identities.push_back({{"channel", channel}, {"id", id}});
    }
    json temperature = nullptr;
    if (view.stage == bot::stage_id(bot::Stage::new_lead)) {
        temperature = bot::temperature_id(bot::lead_temperature(view.last_interaction_at, view.interaction_count, now));
    }
    return {
        {"id", std::to_string(view.id)},
        {"stage", view.stage},
        {"stage_label", bot::stage_label_vi(bot::parse_stage(view.stage).value_or(bot::Stage::new_lead))},
        {"temperature", temperature},
        {"name", text_or_null(view.name)},
        {"phone", text_or_null(view.phone)},
        {"identities", identities},
        {"orders_count", view.orders_count},
        {"total_spent", view.total_spent},
        {"last_order_at", time_or_null(view.last_order_at)},
        {"last_interaction_at", time_or_null(view.last_interaction_at)},
        {"interaction_count", view.interaction_count},
        {"first_seen_at", time_or_null(view.first_seen_at)},
        {"first_source", text_or_null(view.first_source)},
        {"stage_changed_at", time_or_null(view.stage_changed_at)},
        {"next_stage_check_at", time_or_null(view.next_stage_check_at)},
        {"created_at", bot::format_rfc3339_utc(view.created_at)},
        {"opted_out", view.opted_out},
        {"is_follower", view.is_follower},
        {"birthday", text_or_null(view.birthday)},
        {"gender", text_or_null(view.gender)},
        {"address", parsed_or_null(view.address_json)},
        {"cart", parsed_or_null(view.cart_json)},
        {"favourite_categories", view.favourite_categories},
    };
}

HttpReply not_found() {
    return json_error(404, "not_found", "No customer has this id.");
}

} // namespace

CustomersHandler::CustomersHandler(std::string admin_token, store::ReadPool& reads, std::function<std::int64_t()> clock)
    : m_admin_token(std::move(admin_token)), m_reads(reads), m_clock(std::move(clock)) {}

HttpReply CustomersHandler::list(const HttpRequestView& request) const {
    return admin_only(request, m_admin_token, [&] { return list_authorised(request); });
}

HttpReply CustomersHandler::list_authorised(const HttpRequestView& request) const {
    store::CustomerFilter filter;
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
            auto normalised = bot::normalise_phone(value);
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
    if (const std::string cursor = request.query("cursor"); !cursor.empty()) {
        auto after = parse_positive(cursor);
        if (!after) {
            return json_error(400, "invalid_query", "cursor must be a next_cursor value from an earlier page.",
                              "cursor");
        }
        filter.after_id = *after;
    }
    // One more than asked tells whether another page exists.
    const int page_size = filter.limit;
    filter.limit = page_size + 1;
    auto lease = m_reads.lease();
    store::CustomerQueries queries(lease.db());
    auto views = queries.list(filter);
    json next_cursor = nullptr;
    if (views.size() > static_cast<std::size_t>(page_size)) {
        views.resize(static_cast<std::size_t>(page_size));
        next_cursor = std::to_string(views.back().id);
    }
    const std::int64_t now = m_clock();
    json items = json::array();
    for (const auto& view : views) {
        items.push_back(customer_json(view, now));
    }
    return ok_json({{"items", items}, {"next_cursor", next_cursor}});
}

std::optional<store::CustomerView> CustomersHandler::find(const HttpRequestView& request,
                                                          store::CustomerQueries& queries) {
    const auto id = parse_positive(request.path_params.at(0));
    return id ? queries.get(*id) : std::nullopt;
}

HttpReply CustomersHandler::with_customer(
    const HttpRequestView& request,
    const std::function<HttpReply(const store::CustomerView&, store::CustomerQueries&)>& render) const {
    return admin_only(request, m_admin_token, [&] {
        auto lease = m_reads.lease();
        store::CustomerQueries queries(lease.db());
        const auto view = find(request, queries);
        return view ? render(*view, queries) : not_found();
    });
}

HttpReply CustomersHandler::get(const HttpRequestView& request) const {
    return with_customer(request, [&](const store::CustomerView& view, store::CustomerQueries& queries) {
        json customer = customer_json(view, m_clock());
        json history = json::array();
        for (const auto& row : queries.stage_history(view.id)) {
            history.push_back({{"from", text_or_null(row.from_stage)},
                               {"to", row.to_stage},
                               {"at", bot::format_rfc3339_utc(row.changed_at)},
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
                 {"occurred_at", bot::format_rfc3339_utc(row.occurred_at)},
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
            items.push_back({{"id", std::to_string(row.id)},
                             {"channel", row.channel},
                             {"status", row.status},
                             {"reason", text_or_null(row.reason)},
                             {"trigger", row.trigger},
                             {"template", text_or_null(row.template_id)},
                             {"text", text_or_null(row.text)},
                             {"created_at", bot::format_rfc3339_utc(row.created_at)},
                             {"attempts", row.attempts},
                             {"via", text_or_null(row.via)},
                             {"platform_message_id", text_or_null(row.platform_message_id)},
                             {"platform_code", text_or_null(row.platform_code)},
                             {"sent_at", time_or_null(row.sent_at)},
                             {"delivered_at", time_or_null(row.delivered_at)},
                             {"seen_at", time_or_null(row.seen_at)}});
        }
        return ok_json({{"items", items}});
    });
}

HttpReply CustomersHandler::funnel(const HttpRequestView& request) const {
    return admin_only(request, m_admin_token, [&] { return funnel_authorised(); });
}

HttpReply CustomersHandler::funnel_authorised() const {
    auto lease = m_reads.lease();
    store::CustomerQueries queries(lease.db());
    const auto counts = queries.stage_counts();
    json stages = json::object();
    std::int64_t total = 0;
    for (bot::Stage stage : bot::k_all_stages) {
        auto found = counts.find(bot::stage_id(stage));
        const std::int64_t count = found == counts.end() ? 0 : found->second;
        stages[bot::stage_id(stage)] = count;
        total += count;
    }
    return ok_json({{"stages", stages}, {"total", total}, {"generated_at", bot::format_rfc3339_utc(m_clock())}});
}

} // namespace pheu::handlers
