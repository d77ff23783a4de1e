#include "handlers/admin/customer_json.h"

#include "bot/customers/stage_engine.h"
#include "bot/playbook/spreadsheet_csv.h"
#include "bot/stage.h"
#include "common/time_format.h"
#include "handlers/admin/admin_common.h"
#include "store/customer_queries.h"

namespace pheu::handlers {

using nlohmann::json;

namespace {

json parsed_or_null(const std::optional<std::string>& text) {
    if (!text) {
        return nullptr;
    }
    json value = json::parse(*text, nullptr, false);
    return value.is_discarded() ? json(nullptr) : value;
}

std::string identity_on(const store::CustomerView& view, const char* channel) {
    for (const auto& [identity_channel, id] : view.identities) {
        if (identity_channel == channel) {
            return id;
        }
    }
    return {};
}

} // namespace

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
        {"created_at", common::format_rfc3339_utc(view.created_at)},
        {"opted_out", view.opted_out},
        {"is_follower", view.is_follower},
        {"birthday", text_or_null(view.birthday)},
        {"gender", text_or_null(view.gender)},
        {"address", parsed_or_null(view.address_json)},
        {"cart", parsed_or_null(view.cart_json)},
        {"favourite_categories", view.favourite_categories},
    };
}

std::string customer_csv_header() {
    return "id,name,phone,stage,zalo_user_id,messenger_psid,orders_count,total_spent,last_order_at,opted_out\r\n";
}

std::string customer_csv_row(const store::CustomerView& view) {
    return std::to_string(view.id) + "," + bot::csv_cell(view.name.value_or("")) + "," +
           bot::csv_cell(view.phone.value_or("")) + "," + view.stage + "," + bot::csv_cell(identity_on(view, "zalo")) +
           "," + bot::csv_cell(identity_on(view, "messenger")) + "," + std::to_string(view.orders_count) + "," +
           std::to_string(view.total_spent) + "," +
           (view.last_order_at ? common::format_rfc3339_utc(*view.last_order_at) : std::string()) + "," +
           (view.opted_out ? "true" : "false") + "\r\n";
}

} // namespace pheu::handlers
