#include "handlers/admin/catalog_handler.h"

#include "common/phone.h"
#include "bot/playbook/product_csv.h"
#include "bot/stage.h"

#include "common/time_format.h"
#include "bot/voucher_code.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/catalog_store.h"
#include "store/customer_queries.h"
#include "store/read_pool.h"
#include "store/voucher_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace pheu::handlers {

using nlohmann::json;

namespace {

constexpr std::size_t k_max_batch = 1000;
constexpr int k_list_limit = 10000;

json product_json(const store::ProductRow& row) {
    return {{"sku", row.sku}, {"name", row.name},           {"category", row.category}, {"price", row.price},
            {"url", row.url}, {"image_url", row.image_url}, {"in_stock", row.in_stock}};
}

// A product from the request, or the pointer and message of its first bad field.
std::variant<store::ProductRow, std::pair<std::string, std::string>> product_of(const json& item,
                                                                                const std::string& path) {
    if (!item.is_object()) {
        return std::pair{path, "a product is an object"};
    }
    store::ProductRow row;
    for (const auto& [key, target] : {std::pair{"sku", &row.sku}, std::pair{"name", &row.name}}) {
        auto found = item.find(key);
        if (found == item.end() || !found->is_string() || found->get<std::string>().empty()) {
            return std::pair{path + "/" + key, std::string(key) + " is required, a non-empty string"};
        }
        *target = found->get<std::string>();
    }
    for (const auto& [key, target] :
         {std::pair{"category", &row.category}, std::pair{"url", &row.url}, std::pair{"image_url", &row.image_url}}) {
        if (auto found = item.find(key); found != item.end()) {
            if (!found->is_string()) {
                return std::pair{path + "/" + key, std::string(key) + " must be a string"};
            }
            *target = found->get<std::string>();
        }
    }
    if (auto price = item.find("price"); price != item.end()) {
        if (!price->is_number_integer() || price->get<std::int64_t>() < 0) {
            return std::pair{path + "/price", std::string("price is whole VND, 0 or more")};
        }
        row.price = price->get<std::int64_t>();
    }
    if (auto stock = item.find("in_stock"); stock != item.end()) {
        if (!stock->is_boolean()) {
            return std::pair{path + "/in_stock", std::string("in_stock must be true or false")};
        }
        row.in_stock = stock->get<bool>();
    }
    return row;
}

HttpReply campaign_not_found(const std::string& id) {
    return json_error(404, "not_found", "No voucher campaign has the id \"" + id + "\".");
}

// The optional "valid_until" of imported or generated codes, or the 400 reply.
std::variant<std::optional<std::int64_t>, HttpReply> valid_until_of(const json& fields) {
    auto until = fields.find("valid_until");
    if (until == fields.end() || until->is_null()) {
        return std::optional<std::int64_t>();
    }
    if (auto parsed = until->is_string() ? common::parse_rfc3339_ms(until->get<std::string>()) : std::nullopt) {
        return parsed;
    }
    return json_error(400, "invalid_field", "valid_until must be an RFC 3339 time.", "/valid_until");
}

} // namespace

CatalogHandler::CatalogHandler(std::string admin_token, std::string events_token, store::ReadPool& reads,
                               store::AdminWriter& writer, std::function<std::int64_t()> clock)
    : m_admin_token(std::move(admin_token)), m_events_token(std::move(events_token)), m_reads(reads), m_writer(writer),
      m_clock(std::move(clock)) {}

HttpReply CatalogHandler::code_status(const HttpRequestView& request) const {
    const std::string authorization = request.header("Authorization");
    const bool allowed = (!m_admin_token.empty() && bearer_token_matches(authorization, m_admin_token)) ||
                         (!m_events_token.empty() && bearer_token_matches(authorization, m_events_token));
    if (!allowed) {
        return json_error(401, "unauthorized",
                          "The admin token or the events token is required: Authorization: Bearer <token>.");
    }
    auto lease = m_reads.lease();
    std::optional<std::int64_t> customer_id;
    if (const std::string id = request.query("customer_id"); !id.empty()) {
        customer_id = parse_positive(id);
        if (!customer_id) {
            return json_error(400, "invalid_query", "customer_id must be a customer's id.", "customer_id");
        }
    } else if (const std::string phone = request.query("phone"); !phone.empty()) {
        const auto normalised = common::normalise_phone(phone);
        if (!normalised) {
            return json_error(400, "invalid_query", "phone must be a Vietnamese number.", "phone");
        }
        store::CustomerFilter filter;
        filter.identity = std::make_pair(std::string("phone"), *normalised);
        filter.limit = 1;
        const auto found = store::CustomerQueries(lease.db()).list(filter);
        // A phone pheu has never seen is a customer who owns no code.
        customer_id = found.empty() ? std::optional<std::int64_t>(-1) : std::optional<std::int64_t>(found[0].id);
    }
    store::VoucherStore vouchers(lease.db(), nullptr);
    const auto status = vouchers.code_status(bot::normalise_voucher_code(request.path_params.at(0)));
    if (!status) {
        return json_error(404, "not_found", "No voucher has this code.");
    }
    const auto verdict = store::may_use_code(*status, customer_id, m_clock());
    json answer = {{"code", status->code},
                   {"campaign", status->campaign_id},
                   {"description", status->description},
                   {"owner", status->owner_id ? json(std::to_string(*status->owner_id)) : json(nullptr)},
                   {"valid_until", time_or_null(status->valid_until)},
                   {"redeemed", status->redeemed_at.has_value()},
                   {"redeemed_at", time_or_null(status->redeemed_at)},
                   {"redeemed_by", status->redeemed_by ? json(std::to_string(*status->redeemed_by)) : json(nullptr)},
                   {"order_id", status->order_id.empty() ? json(nullptr) : json(status->order_id)},
                   {"shared_use_honoured", status->honour_shared},
                   {"may_use", verdict.may_use},
                   {"reason", verdict.reason.empty() ? json(nullptr) : json(verdict.reason)}};
    return ok_json(answer);
}

HttpReply CatalogHandler::list_products(const HttpRequestView& /*request*/) const {
    auto lease = m_reads.lease();
    store::CatalogStore catalog(lease.db());
    json items = json::array();
    for (const auto& row : catalog.products(k_list_limit)) {
        items.push_back(product_json(row));
    }
    return ok_json({{"items", items}});
}

HttpReply CatalogHandler::upsert_products(const HttpRequestView& request) const {
    // A CSV file (Content-Type text/csv) is read into the same products a JSON body has.
    json fields;
    std::vector<std::size_t> lines; // a CSV file's line of each product, for its errors
    if (request.header("Content-Type").rfind("text/csv", 0) == 0) {
        auto parsed = bot::products_from_csv(std::string(request.body));
        if (auto* problem = std::get_if<common::InputError>(&parsed)) {
            return json_error(400, *problem);
        }
        auto& csv = std::get<bot::CsvProducts>(parsed);
        fields = {{"products", std::move(csv.products)}};
        lines = std::move(csv.lines);
    } else {
        auto body = json_object_body(request);
        if (auto* reply = std::get_if<HttpReply>(&body)) {
            return *reply;
        }
        fields = std::get<json>(body);
    }
    auto products = fields.find("products");
    if (products == fields.end() || !products->is_array() || products->empty() || products->size() > k_max_batch) {
        return json_error(400, "invalid_field", "products must be an array of 1 to 1000 products.", "/products");
    }
    // Every bad row is reported, and nothing is stored until all are good.
    std::vector<store::ProductRow> rows;
    json problems = json::array();
    for (std::size_t i = 0; i < products->size(); ++i) {
        auto parsed = product_of((*products)[i], "/products/" + std::to_string(i));
        if (auto* error = std::get_if<std::pair<std::string, std::string>>(&parsed)) {
            json problem = {{"row", i + 1}, {"path", error->first}, {"message", error->second}};
            if (i < lines.size()) {
                problem["line"] = lines[i]; // as the spreadsheet numbers it, the header being line 1
                problem["message"] = "line " + std::to_string(lines[i]) + ": " + error->second;
            }
            problems.push_back(std::move(problem));
        } else {
            rows.push_back(std::get<store::ProductRow>(parsed));
        }
    }
    if (!problems.empty()) {
        json reply = {
            {"error",
             {{"code", "invalid_field"},
              {"message", std::to_string(problems.size()) + " product(s) have a bad field; nothing was stored: " +
                              problems[0]["message"].get<std::string>()},
              {"path", problems[0]["path"]},
              {"rows", problems}}}};
        return ok_json(reply, 400);
    }
    const std::int64_t now = m_clock();
    m_writer.write([&](store::sql::Connection& db) {
        store::CatalogStore catalog(db);
        for (const auto& row : rows) {
            catalog.upsert(row, now);
        }
        audit(db, request, "products.upsert", "products", {{"count", rows.size()}}, now);
    });
    return ok_json({{"upserted", rows.size()}});
}

HttpReply CatalogHandler::list_vouchers(const HttpRequestView& /*request*/) const {
    auto lease = m_reads.lease();
    store::VoucherStore vouchers(lease.db(), nullptr);
    json items = json::array();
    for (const auto& campaign : vouchers.campaigns()) {
        const store::CampaignUse use = vouchers.use_of(campaign.id);
        items.push_back({{"id", campaign.id},
                         {"description", campaign.description},
                         {"code_pattern", campaign.code_pattern.empty() ? json(nullptr) : json(campaign.code_pattern)},
                         {"validity_days", campaign.validity_days},
                         {"per_customer_limit", campaign.per_customer_limit},
                         {"eligible_stages", campaign.eligible_stages},
                         {"active", campaign.active},
                         {"honour_shared", campaign.honour_shared},
                         {"issued", use.issued},
                         {"redeemed", use.redeemed},
                         {"pool_available", use.pool_available},
                         {"used_by_others", use.used_by_others},
                         {"used_by_others_honoured", use.used_by_others_honoured}});
    }
    return ok_json({{"items", items}});
}

HttpReply CatalogHandler::import_codes(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& fields) -> HttpReply {
        auto codes = fields.find("codes");
        if (codes == fields.end() || !codes->is_array() || codes->empty() || codes->size() > 10 * k_max_batch) {
            return json_error(400, "invalid_field", "codes must be an array of 1 to 10000 codes.", "/codes");
        }
        std::vector<std::string> normalised;
        for (std::size_t i = 0; i < codes->size(); ++i) {
            const json& code = (*codes)[i];
            std::string text = code.is_string() ? bot::normalise_voucher_code(code.get<std::string>()) : std::string();
            if (!bot::is_voucher_code(text)) {
                return json_error(400, "invalid_field",
                                  "A code is at least 6 characters of A-Z, 0-9 and '-', with both letters and digits.",
                                  "/codes/" + std::to_string(i));
            }
            normalised.push_back(std::move(text));
        }
        const auto until = valid_until_of(fields);
        if (auto* reply = std::get_if<HttpReply>(&until)) {
            return *reply;
        }
        const auto valid_until = std::get<std::optional<std::int64_t>>(until);
        const std::string& campaign_id = request.path_params.at(0);
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            store::VoucherStore vouchers(db, nullptr);
            if (!vouchers.campaign(campaign_id)) {
                return campaign_not_found(campaign_id);
            }
            const int added = vouchers.import_codes(campaign_id, normalised, valid_until);
            audit(db, request, "vouchers.import", campaign_id, {{"added", added}}, m_clock());
            return ok_json({{"added", added}, {"already_known", static_cast<int>(normalised.size()) - added}});
        });
    });
}

namespace {

// Applies the campaign fields `fields` names to `campaign`, checking each: the same for a new
// campaign and an edit. The reply explains the first bad one.
std::optional<HttpReply> apply_campaign_fields(const json& fields, store::VoucherCampaign& campaign) {
    if (auto description = fields.find("description"); description != fields.end()) {
        if (!description->is_string() || description->get<std::string>().empty()) {
            return json_error(400, "invalid_field", "description is required: what the code gives the shopper.",
                              "/description");
        }
        campaign.description = description->get<std::string>();
    }
    if (auto pattern = fields.find("code_pattern"); pattern != fields.end()) {
        if (pattern->is_null()) {
            campaign.code_pattern.clear();
        } else if (!pattern->is_string() || !bot::valid_code_pattern(pattern->get<std::string>())) {
            return json_error(400, "invalid_field",
                              "code_pattern is like CHAO-****: A-Z, 0-9 and '-', with * (letter or digit), "
                              "# (digit) or ? (letter) places, at least 6 characters and 4 random places.",
                              "/code_pattern");
        } else {
            campaign.code_pattern = pattern->get<std::string>();
        }
    }
    if (auto days = fields.find("validity_days"); days != fields.end()) {
        if (!days->is_number_integer() || days->get<std::int64_t>() < 1 || days->get<std::int64_t>() > 3650) {
            return json_error(400, "invalid_field", "validity_days must be a whole number from 1 to 3650.",
                              "/validity_days");
        }
        campaign.validity_days = days->get<std::int64_t>();
    }
    if (auto limit = fields.find("per_customer_limit"); limit != fields.end()) {
        if (!limit->is_number_integer() || limit->get<int>() < 1 || limit->get<int>() > 1000) {
            return json_error(400, "invalid_field", "per_customer_limit must be a whole number from 1 to 1000.",
                              "/per_customer_limit");
        }
        campaign.per_customer_limit = limit->get<int>();
    }
    for (const auto& [key, target] : {std::pair<const char*, bool*>{"honour_shared", &campaign.honour_shared},
                                      std::pair<const char*, bool*>{"active", &campaign.active}}) {
        if (auto flag = fields.find(key); flag != fields.end()) {
            if (!flag->is_boolean()) {
                return json_error(400, "invalid_field", std::string(key) + " must be true or false.",
                                  std::string("/") + key);
            }
            *target = flag->get<bool>();
        }
    }
    if (auto stages = fields.find("eligible_stages"); stages != fields.end()) {
        if (!stages->is_array()) {
            return json_error(400, "invalid_field", "eligible_stages must be an array of stage ids.",
                              "/eligible_stages");
        }
        campaign.eligible_stages.clear();
        for (std::size_t i = 0; i < stages->size(); ++i) {
            const json& stage = (*stages)[i];
            if (!stage.is_string() || !bot::parse_stage(stage.get<std::string>())) {
                return json_error(400, "invalid_field", "a stage is new_lead, new_customer, frequent_buyer or dormant.",
                                  "/eligible_stages/" + std::to_string(i));
            }
            campaign.eligible_stages.push_back(stage.get<std::string>());
        }
    }
    return std::nullopt;
}

} // namespace

HttpReply CatalogHandler::create_campaign(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& fields) -> HttpReply {
        store::VoucherCampaign campaign;
        campaign.id = fields.value("id", std::string());
        const bool id_ok = !campaign.id.empty() && campaign.id.size() <= 64 &&
                           std::all_of(campaign.id.begin(), campaign.id.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                           });
        if (!id_ok) {
            return json_error(400, "invalid_field", "id must be 1 to 64 lower-case letters, digits and underscores.",
                              "/id");
        }
        if (!fields.contains("description")) {
            return json_error(400, "invalid_field", "description is required: what the code gives the shopper.",
                              "/description");
        }
        if (auto problem = apply_campaign_fields(fields, campaign)) {
            return *problem;
        }
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            store::VoucherStore vouchers(db, nullptr);
            if (!vouchers.seed_campaign(campaign, m_clock())) {
                return json_error(409, "already_exists",
                                  "A voucher campaign already has the id \"" + campaign.id + "\".", "/id");
            }
            audit(db, request, "vouchers.create", campaign.id, fields, m_clock());
            return ok_json({{"id", campaign.id}, {"description", campaign.description}}, 201);
        });
    });
}

HttpReply CatalogHandler::update_campaign(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& fields) -> HttpReply {
        if (fields.contains("id") && fields["id"] != request.path_params.at(0)) {
            return json_error(400, "invalid_field", "The id is fixed; it names the campaign in the path.", "/id");
        }
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            store::VoucherStore vouchers(db, nullptr);
            auto campaign = vouchers.campaign(request.path_params.at(0));
            if (!campaign) {
                return json_error(404, "not_found", "No voucher campaign has this id.");
            }
            if (auto problem = apply_campaign_fields(fields, *campaign)) {
                return *problem;
            }
            vouchers.update_campaign(*campaign, m_clock());
            audit(db, request, "vouchers.update", campaign->id, fields, m_clock());
            return ok_json(
                {{"id", campaign->id},
                 {"description", campaign->description},
                 {"code_pattern", campaign->code_pattern.empty() ? json(nullptr) : json(campaign->code_pattern)},
                 {"validity_days", campaign->validity_days},
                 {"per_customer_limit", campaign->per_customer_limit},
                 {"eligible_stages", campaign->eligible_stages},
                 {"active", campaign->active},
                 {"honour_shared", campaign->honour_shared}});
        });
    });
}

HttpReply CatalogHandler::generate_codes(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& fields) -> HttpReply {
        auto count = fields.find("count");
        if (count == fields.end() || !count->is_number_integer() || count->get<int>() < 1 ||
            count->get<int>() > static_cast<int>(10 * k_max_batch)) {
            return json_error(400, "invalid_field", "count must be a whole number from 1 to 10000.", "/count");
        }
        const auto until = valid_until_of(fields);
        if (auto* reply = std::get_if<HttpReply>(&until)) {
            return *reply;
        }
        const auto valid_until = std::get<std::optional<std::int64_t>>(until);
        const std::string& campaign_id = request.path_params.at(0);
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            store::VoucherStore vouchers(db, nullptr);
            const auto campaign = vouchers.campaign(campaign_id);
            if (!campaign) {
                return campaign_not_found(campaign_id);
            }
            if (campaign->code_pattern.empty()) {
                return json_error(409, "no_pattern", "The campaign has no code_pattern to generate codes from.");
            }
            // A collision with a known code is simply drawn again (bounded, for a pattern
            // with few codes left).
            int added = 0;
            for (int draws = 0; added < count->get<int>() && draws < 4 * count->get<int>() + 16; ++draws) {
                added +=
                    vouchers.import_codes(campaign_id, {bot::random_voucher_code(campaign->code_pattern)}, valid_until);
            }
            audit(db, request, "vouchers.generate", campaign_id, {{"added", added}}, m_clock());
            return ok_json({{"added", added}});
        });
    });
}

} // namespace pheu::handlers
