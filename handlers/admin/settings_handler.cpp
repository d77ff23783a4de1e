#include "handlers/admin/settings_handler.h"

#include "bot/customers/shop_settings.h"
#include "bot/customers/stage_preview.h"
#include "bot/playbook/settings_schema.h"
#include "common/time_format.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/audit_store.h"
#include "store/customer_queries.h"
#include "store/read_pool.h"
#include "store/settings_store.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

using nlohmann::json;

SettingsHandler::SettingsHandler(std::string zone_name, store::ReadPool& reads, store::AdminWriter& writer,
                                 std::function<std::int64_t()> clock)
    : m_timezone(std::move(zone_name)), m_reads(reads), m_writer(writer), m_clock(std::move(clock)) {}

HttpReply SettingsHandler::get(const HttpRequestView& /*request*/) const {
    auto lease = m_reads.lease();
    store::SettingsStore settings(lease.db());
    json answer = bot::effective_settings(settings);
    answer["timezone"] = m_timezone;
    return ok_json(answer);
}

HttpReply SettingsHandler::put(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& value) -> HttpReply {
        const std::string& key = request.path_params.at(0);
        if (!bot::is_editable_setting(key)) {
            std::string known;
            for (const auto& candidate : bot::editable_setting_keys()) {
                known += (known.empty() ? "" : ", ") + candidate;
            }
            return json_error(404, "not_found", "No setting is called \"" + key + "\" (there are " + known + ").");
        }
        if (auto problem = bot::validate_setting(key, value)) {
            return json_error(400, *problem);
        }
        return m_writer.write([&](store::sql::Connection& db) {
            store::SettingsStore settings(db);
            settings.put(key, value.dump());
            audit(db, request, "settings.put", key, value, m_clock());
            return ok_json(bot::effective_settings(settings)[key]);
        });
    });
}

HttpReply SettingsHandler::preview_stages(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& value) -> HttpReply {
        if (auto problem = bot::validate_setting(bot::k_stage_thresholds_key, value)) {
            return json_error(400, *problem);
        }
        auto lease = m_reads.lease();
        store::SettingsStore settings(lease.db());
        bot::StagePreview preview(bot::thresholds_from_json(value, bot::load_stage_settings(settings).thresholds),
                                  m_clock());
        store::CustomerQueries(lease.db()).for_each_stage_fact([&](const store::StageFactRow& row) {
            preview.add(row);
        });
        const auto counts = preview.counts();
        json stages = json::object();
        for (const bot::Stage stage : bot::k_all_stages) {
            stages[bot::stage_id(stage)] = counts[static_cast<std::size_t>(stage)];
        }
        return ok_json({{"stages", stages}});
    });
}

HttpReply SettingsHandler::audit_log(const HttpRequestView& request) const {
    const auto limit = limit_param(request, 50, 500);
    if (!limit) {
        return json_error(400, "invalid_query", "limit must be a whole number from 1 to 500.", "limit");
    }
    auto cursor = cursor_param(request);
    if (auto* reply = std::get_if<HttpReply>(&cursor)) {
        return *reply;
    }
    auto lease = m_reads.lease();
    auto rows = store::AuditStore(lease.db()).list(*limit + 1, std::get<std::optional<std::int64_t>>(cursor));
    const json next_cursor = next_page_cursor(rows, *limit);
    json items = json::array();
    for (const auto& row : rows) {
        items.push_back({{"id", std::to_string(row.id)},
                         {"at", common::format_rfc3339_utc(row.at)},
                         {"actor", row.actor},
                         {"action", row.action},
                         {"target", row.target},
                         {"detail", json::parse(row.detail_json, nullptr, false)}});
    }
    return ok_json({{"items", items}, {"next_cursor", next_cursor}});
}

} // namespace pheu::handlers
