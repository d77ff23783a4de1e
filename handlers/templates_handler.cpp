#include "handlers/templates_handler.h"

#include "bot/message_composer.h"
#include "bot/stage_engine.h"
#include "bot/time_format.h"
#include "handlers/admin_common.h"
#include "handlers/json_error.h"
#include "store/admin_writer.h"
#include "store/read_pool.h"
#include "store/template_store.h"
#include "store/voucher_store.h"
#include "templates/template_cache.h"
#include "templates/template_model.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

using nlohmann::json;

namespace {

json template_json(const store::TemplateRow& row) {
    json buttons = json::parse(row.buttons_json, nullptr, false);
    return {{"id", row.id},
            {"purpose", row.purpose},
            {"body", row.body},
            {"buttons", buttons.is_array() ? buttons : json::array()},
            {"image_url", row.image_url.empty() ? json(nullptr) : json(row.image_url)},
            {"version", row.version},
            {"updated_at", bot::format_rfc3339_utc(row.updated_at)}};
}

HttpReply template_not_found(const std::string& id) {
    return json_error(404, "not_found", "No template has the id \"" + id + "\".");
}

HttpReply input_error(const templates::TemplateInputError& error) {
    json body = {{"error", {{"code", error.code}, {"message", error.message}, {"path", error.path}}}};
    if (error.line) {
        body["error"]["line"] = *error.line;
        body["error"]["column"] = *error.column;
    }
    return ok_json(body, 400);
}

templates::TemplateContent content_of(const store::TemplateRow& row) {
    json buttons = json::parse(row.buttons_json, nullptr, false);
    return {row.purpose, row.body, buttons.is_array() ? buttons : json::array(), row.image_url};
}

// What a preview shows for {{voucher}}: a code the customer holds, else a sample (never a
// code issued just to look at a template).
std::optional<store::IssuedVoucher> preview_voucher(SQLite::Database& db, std::int64_t customer_id, std::int64_t now) {
    store::VoucherStore vouchers(db, nullptr);
    for (const auto& campaign : vouchers.campaigns()) {
        if (auto held = vouchers.held(campaign.id, customer_id, now)) {
            return held;
        }
    }
    return store::IssuedVoucher{"MAU-2026", "sample", "Mã mẫu: mã thật được cấp khi gửi tin", now + 14 * bot::k_day_ms};
}

} // namespace

TemplatesHandler::TemplatesHandler(std::string admin_token, store::ReadPool& reads, store::AdminWriter& writer,
                                   templates::TemplateCache& cache, const std::string& zone_name,
                                   std::function<std::int64_t()> clock)
    : m_admin_token(std::move(admin_token)), m_reads(reads), m_writer(writer), m_cache(cache), m_clock_zone(zone_name),
      m_clock(std::move(clock)) {}

HttpReply TemplatesHandler::list(const HttpRequestView& request) const {
    return admin_only(request, m_admin_token, [&]() -> HttpReply {
        auto lease = m_reads.lease();
        store::TemplateStore store(lease.db());
        json items = json::array();
        for (const auto& row : store.list()) {
            items.push_back(template_json(row));
        }
        return ok_json({{"items", items}});
    });
}

HttpReply TemplatesHandler::get(const HttpRequestView& request) const {
    return admin_only(request, m_admin_token, [&]() -> HttpReply {
        const std::string& id = request.path_params.at(0);
        auto lease = m_reads.lease();
        store::TemplateStore store(lease.db());
        const auto row = store.get(id);
        return row ? ok_json(template_json(*row)) : template_not_found(id);
    });
}

HttpReply TemplatesHandler::put(const HttpRequestView& request) const {
    return admin_json(request, m_admin_token, [&](const json& fields) -> HttpReply {
        const std::string& id = request.path_params.at(0);
        return m_writer.write([&](SQLite::Database& db) -> HttpReply {
            store::TemplateStore store(db);
            const auto current = store.get(id);
            if (!current) {
                return template_not_found(id);
            }
            auto parsed = templates::parse_template_update(fields, content_of(*current));
            if (auto* error = std::get_if<templates::TemplateInputError>(&parsed)) {
                return input_error(*error);
            }
            const auto& content = std::get<templates::TemplateContent>(parsed);
            store::TemplateRow row{id, content.purpose, content.body, content.buttons.dump(), content.image_url, 0, 0};
            const auto saved = store.update(row, m_clock());
            return saved ? ok_json(template_json(*saved)) : template_not_found(id);
        });
    });
}

HttpReply TemplatesHandler::preview(const HttpRequestView& request) const {
    return admin_json(request, m_admin_token, [&](const json& fields) -> HttpReply {
        std::optional<std::int64_t> customer_id;
        if (auto found = fields.find("customer_id"); found != fields.end()) {
            customer_id = found->is_string() ? parse_positive(found->get<std::string>())
                          : found->is_number_unsigned() ? std::optional<std::int64_t>(found->get<std::int64_t>())
                                                        : std::nullopt;
        }
        if (!customer_id) {
            return json_error(400, "invalid_field", "customer_id must name a customer (their id).", "/customer_id");
        }
        const std::string& id = request.path_params.at(0);
        auto lease = m_reads.lease();
        store::TemplateStore store(lease.db());
        auto row = store.get(id);
        if (!row) {
            return template_not_found(id);
        }
        if (fields.contains("body")) { // an unsaved edit: checked as a save would be, never cached
            auto parsed = templates::parse_template_update(fields, content_of(*row));
            if (auto* error = std::get_if<templates::TemplateInputError>(&parsed)) {
                return input_error(*error);
            }
            const auto& content = std::get<templates::TemplateContent>(parsed);
            row = store::TemplateRow{id, content.purpose, content.body, content.buttons.dump(), content.image_url, -1, 0};
        }
        const std::int64_t now = m_clock();
        bot::MessageComposer composer(lease.db(), m_cache, m_clock_zone);
        const auto context = composer.context(*customer_id, preview_voucher(lease.db(), *customer_id, now),
                                              composer.product_tip(*customer_id, now), now);
        if (!context) {
            return json_error(404, "not_found", "No customer has this id.", "/customer_id");
        }
        const std::string channel = fields.value("channel", std::string("zalo"));
        auto composed = composer.compose_body(*row, channel, *context);
        if (auto* error = std::get_if<bot::ComposeError>(&composed)) {
            return json_error(422, error->code, error->message);
        }
        const auto& message = std::get<bot::ComposedMessage>(composed);
        return ok_json({{"text", message.text}, {"payload", message.payload}, {"template", id}});
    });
}

} // namespace pheu::handlers
