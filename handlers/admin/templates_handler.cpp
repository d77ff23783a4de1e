#include "handlers/admin/templates_handler.h"

#include "bot/playbook/message_composer.h"
#include "bot/customers/stage_engine.h"
#include "common/time_format.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/playbook_store.h"
#include "store/read_pool.h"
#include "store/template_store.h"
#include "store/voucher_store.h"
#include "templates/template_cache.h"
#include "templates/builtin_pack.h"
#include "templates/template_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>

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
            {"updated_at", common::format_rfc3339_utc(row.updated_at)}};
}

HttpReply template_not_found(const std::string& id) {
    return json_error(404, "not_found", "No template has the id \"" + id + "\".");
}

templates::TemplateContent content_of(const store::TemplateRow& row) {
    json buttons = json::parse(row.buttons_json, nullptr, false);
    return {row.purpose, row.body, buttons.is_array() ? buttons : json::array(), row.image_url, {}};
}

// What a preview shows for {{voucher}}: a code the customer holds, else a sample (never a
// code issued just to look at a template).
std::optional<store::IssuedVoucher> preview_voucher(store::sql::Connection& db, std::int64_t customer_id,
                                                    std::int64_t now) {
    store::VoucherStore vouchers(db, nullptr);
    for (const auto& campaign : vouchers.campaigns()) {
        if (auto held = vouchers.held(campaign.id, customer_id, now)) {
            return held;
        }
    }
    return store::IssuedVoucher{"MAU-2026", "sample", "Mã mẫu: mã thật được cấp khi gửi tin", now + 14 * bot::k_day_ms};
}

bool valid_template_id(const std::string& id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    return std::all_of(id.begin(), id.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// What still refers to a template: playbook rules, and templates that include it as a partial.
std::vector<std::string> template_users(store::sql::Connection& db, const std::string& id) {
    std::vector<std::string> users;
    const auto stored = store::PlaybookStore(db).get();
    const json playbook = stored ? json::parse(*stored, nullptr, false) : templates::builtin_pack().playbook;
    if (playbook.is_object()) {
        for (const auto& rule : playbook.value("rules", json::array())) {
            if (rule.value("template", std::string()) == id || rule.value("when_no_voucher", std::string()) == id ||
                rule.value("when_no_product", std::string()) == id) {
                users.push_back("playbook rule " + rule.value("id", std::string()));
            }
        }
    }
    store::TemplateStore templates_store(db);
    for (const auto& row : templates_store.list()) {
        if (row.id != id && (row.body.find("{{> " + id + "}}") != std::string::npos ||
                             row.body.find("{{>" + id + "}}") != std::string::npos)) {
            users.push_back("template " + row.id);
        }
    }
    return users;
}

} // namespace

TemplatesHandler::TemplatesHandler(store::ReadPool& reads, store::AdminWriter& writer, templates::TemplateCache& cache,
                                   const std::string& zone_name, std::function<std::int64_t()> clock)
    : m_reads(reads), m_writer(writer), m_cache(cache), m_clock_zone(zone_name), m_clock(std::move(clock)) {}

json TemplatesHandler::warnings_for(store::sql::Connection& db, const templates::TemplateContent& content) const {
    bot::MessageComposer composer(db, m_cache, m_clock_zone);
    return templates::warnings_json(templates::unknown_names(content.names, composer.known_fields(m_clock())));
}

HttpReply TemplatesHandler::list(const HttpRequestView& /*request*/) const {
    auto lease = m_reads.lease();
    store::TemplateStore store(lease.db());
    json items = json::array();
    for (const auto& row : store.list()) {
        items.push_back(template_json(row));
    }
    return ok_json({{"items", items}});
}

HttpReply TemplatesHandler::get(const HttpRequestView& request) const {
    const std::string& id = request.path_params.at(0);
    auto lease = m_reads.lease();
    store::TemplateStore store(lease.db());
    const auto row = store.get(id);
    return row ? ok_json(template_json(*row)) : template_not_found(id);
}

HttpReply TemplatesHandler::put(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& fields) -> HttpReply {
        const std::string& id = request.path_params.at(0);
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            store::TemplateStore store(db);
            const auto current = store.get(id);
            if (!current) {
                return template_not_found(id);
            }
            auto parsed = templates::parse_template_update(fields, content_of(*current));
            if (auto* error = std::get_if<common::InputError>(&parsed)) {
                return json_error(400, *error);
            }
            const auto& content = std::get<templates::TemplateContent>(parsed);
            store::TemplateRow row{id, content.purpose, content.body, content.buttons.dump(), content.image_url, 0, 0};
            const auto saved = store.update(row, m_clock());
            if (!saved) {
                return template_not_found(id);
            }
            audit(db, request, "template.update", id, {{"version", saved->version}}, m_clock());
            json answer = template_json(*saved);
            answer["warnings"] = warnings_for(db, content);
            return ok_json(answer);
        });
    });
}

HttpReply TemplatesHandler::create(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& fields) -> HttpReply {
        const std::string id = fields.value("id", std::string());
        if (!valid_template_id(id)) {
            return json_error(400, "invalid_field",
                              "id must be 1 to 64 lower-case letters, digits and underscores, such as flash_sale.",
                              "/id");
        }
        if (!fields.contains("body")) {
            return json_error(400, "invalid_field", "body is required: the Mustache text of the message.", "/body");
        }
        json content_fields = fields;
        content_fields.erase("id");
        auto parsed = templates::parse_template_update(content_fields, templates::TemplateContent{});
        if (auto* error = std::get_if<common::InputError>(&parsed)) {
            return json_error(400, *error);
        }
        const auto& content = std::get<templates::TemplateContent>(parsed);
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            store::TemplateStore store(db);
            store::TemplateRow row{id, content.purpose, content.body, content.buttons.dump(), content.image_url, 0, 0};
            if (!store.create(row, m_clock())) {
                return json_error(409, "already_exists", "A template already has the id \"" + id + "\".", "/id");
            }
            audit(db, request, "template.create", id, json::object(), m_clock());
            json answer = template_json(*store.get(id));
            answer["warnings"] = warnings_for(db, content);
            return ok_json(answer, 201);
        });
    });
}

HttpReply TemplatesHandler::remove(const HttpRequestView& request) const {
    const std::string& id = request.path_params.at(0);
    return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
        store::TemplateStore store(db);
        if (!store.get(id)) {
            return template_not_found(id);
        }
        if (const auto users = template_users(db, id); !users.empty()) {
            std::string names;
            for (const auto& user : users) {
                names += (names.empty() ? "" : ", ") + user;
            }
            return json_error(409, "in_use", "The template is still used by " + names + ".");
        }
        store.remove(id);
        audit(db, request, "template.delete", id, json::object(), m_clock());
        return HttpReply{204, "", "application/json", {}};
    });
}

HttpReply TemplatesHandler::versions(const HttpRequestView& request) const {
    const std::string& id = request.path_params.at(0);
    auto lease = m_reads.lease();
    store::TemplateStore store(lease.db());
    const auto rows = store.versions(id);
    if (rows.empty()) {
        return template_not_found(id);
    }
    json items = json::array();
    for (const auto& row : rows) {
        items.push_back(template_json(row));
    }
    return ok_json({{"items", items}});
}

HttpReply TemplatesHandler::rollback(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& fields) -> HttpReply {
        const std::string& id = request.path_params.at(0);
        auto version = fields.find("version");
        if (version == fields.end() || !version->is_number_integer() || version->get<std::int64_t>() < 1) {
            return json_error(400, "invalid_field", "version must be the number of a saved version.", "/version");
        }
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            store::TemplateStore store(db);
            if (!store.get(id)) {
                return template_not_found(id);
            }
            auto old = store.version(id, version->get<std::int64_t>());
            if (!old) {
                return json_error(404, "not_found", "The template has no version " + version->dump() + ".", "/version");
            }
            const auto saved = store.update(*old, m_clock());
            audit(db, request, "template.rollback", id, {{"to_version", *version}, {"version", saved->version}},
                  m_clock());
            return ok_json(template_json(*saved));
        });
    });
}

HttpReply TemplatesHandler::preview(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& fields) -> HttpReply {
        // Without a customer the sample shopper is shown.
        std::optional<std::int64_t> customer_id;
        if (auto found = fields.find("customer_id"); found != fields.end() && !found->is_null()) {
            customer_id = found->is_string()            ? parse_positive(found->get<std::string>())
                          : found->is_number_unsigned() ? std::optional<std::int64_t>(found->get<std::int64_t>())
                                                        : std::nullopt;
            if (!customer_id) {
                return json_error(400, "invalid_field", "customer_id must name a customer (their id).", "/customer_id");
            }
        }
        const std::string& id = request.path_params.at(0);
        auto lease = m_reads.lease();
        store::TemplateStore store(lease.db());
        auto row = store.get(id);
        if (!row) {
            return template_not_found(id);
        }
        json warnings = json::array();
        if (fields.contains("body")) { // an unsaved edit: checked as a save would be, never cached
            auto parsed = templates::parse_template_update(fields, content_of(*row));
            if (auto* error = std::get_if<common::InputError>(&parsed)) {
                return json_error(400, *error);
            }
            const auto& content = std::get<templates::TemplateContent>(parsed);
            warnings = warnings_for(lease.db(), content);
            row =
                store::TemplateRow{id, content.purpose, content.body, content.buttons.dump(), content.image_url, -1, 0};
        }
        const std::int64_t now = m_clock();
        bot::MessageComposer composer(lease.db(), m_cache, m_clock_zone);
        const auto context = customer_id
                                 ? composer.context(*customer_id, preview_voucher(lease.db(), *customer_id, now),
                                                    composer.product_tip(*customer_id, now), now)
                                 : std::optional<json>(composer.sample_context(now));
        if (!context) {
            return json_error(404, "not_found", "No customer has this id.", "/customer_id");
        }
        const json channel_field = fields.value("channel", json("zalo"));
        const std::optional<bot::Channel> channel =
            channel_field.is_string() ? bot::parse_channel(channel_field.get<std::string>()) : std::nullopt;
        if (!channel) {
            return json_error(400, "invalid_field", "channel must be \"zalo\" or \"messenger\".", "/channel");
        }
        auto composed = composer.compose_body(*row, *channel, *context);
        if (auto* error = std::get_if<bot::ComposeError>(&composed)) {
            return json_error(422, error->code, error->message);
        }
        const auto& message = std::get<bot::ComposedMessage>(composed);
        return ok_json(
            {{"text", message.text}, {"payload", message.payload}, {"template", id}, {"warnings", warnings}});
    });
}

} // namespace pheu::handlers
