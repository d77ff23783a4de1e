#include "handlers/admin/playbook_handler.h"

#include "bot/playbook/playbook.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/playbook_store.h"
#include "store/read_pool.h"
#include "store/template_store.h"
#include "store/voucher_store.h"
#include "templates/builtin_pack.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace pheu::handlers {

using nlohmann::json;

namespace {

json stored_playbook(store::sql::Connection& db) {
    const auto stored = store::PlaybookStore(db).get();
    json document = stored ? json::parse(*stored, nullptr, false) : templates::builtin_pack().playbook;
    return document.is_object() ? document : templates::builtin_pack().playbook;
}

// The playbook as the console shows it: every rule and journey with "enabled" spelled out.
json with_defaults(json document) {
    for (const char* collection : {"rules", "journeys"}) {
        for (auto& item : document[collection]) {
            if (!item.contains("enabled")) {
                item["enabled"] = true;
            }
            if (!item.contains("holdout_percent")) {
                item["holdout_percent"] = 0;
            }
        }
    }
    return document;
}

// A rule naming a template or a campaign that does not exist would fail for every customer.
std::optional<HttpReply> check_rule_references(store::sql::Connection& db, const json& rule) {
    store::TemplateStore templates(db);
    for (const char* field : {"template", "when_no_voucher", "when_no_product"}) {
        const std::string id = rule.value(field, std::string());
        if (!id.empty() && !templates.get(id)) {
            return json_error(400, "invalid_field", "No template has the id \"" + id + "\".", std::string("/") + field);
        }
    }
    if (const auto variants = rule.find("variants"); variants != rule.end() && variants->is_array()) {
        for (std::size_t i = 0; i < variants->size(); ++i) {
            const std::string id = (*variants)[i].value("template", std::string());
            if (!templates.get(id)) {
                return json_error(400, "invalid_field", "No template has the id \"" + id + "\".",
                                  "/variants/" + std::to_string(i) + "/template");
            }
        }
    }
    const std::string campaign = rule.value("campaign", std::string());
    if (!campaign.empty()) {
        const auto campaigns = store::VoucherStore(db, nullptr).campaigns();
        const bool known =
            std::any_of(campaigns.begin(), campaigns.end(),
                        [&](const store::VoucherCampaign& known_campaign) { return known_campaign.id == campaign; });
        if (!known) {
            return json_error(400, "invalid_field", "No voucher campaign has the id \"" + campaign + "\".",
                              "/campaign");
        }
    }
    return std::nullopt;
}

} // namespace

PlaybookHandler::PlaybookHandler(store::ReadPool& reads, store::AdminWriter& writer,
                                 std::function<std::int64_t()> clock)
    : m_reads(reads), m_writer(writer), m_clock(std::move(clock)) {}

HttpReply PlaybookHandler::get(const HttpRequestView& /*request*/) const {
    auto lease = m_reads.lease();
    return ok_json(with_defaults(stored_playbook(lease.db())));
}

HttpReply PlaybookHandler::put_rule(const HttpRequestView& request) const {
    return put_item(request, "rules", "playbook.rule.update");
}

HttpReply PlaybookHandler::put_journey(const HttpRequestView& request) const {
    return put_item(request, "journeys", "playbook.journey.update");
}

HttpReply PlaybookHandler::put_item(const HttpRequestView& request, const char* collection, const char* action) const {
    return with_json_object_body(request, [&](const json& fields) -> HttpReply {
        const std::string& id = request.path_params.at(0);
        if (fields.contains("id") && fields["id"] != id) {
            return json_error(400, "invalid_field", "The id is fixed; it names the item in the path.", "/id");
        }
        return m_writer.write([&](store::sql::Connection& db) -> HttpReply {
            json document = stored_playbook(db);
            json& items = document[collection];
            std::size_t index = 0;
            while (index < items.size() && items[index].value("id", std::string()) != id) {
                ++index;
            }
            if (index == items.size()) {
                const char* what = std::string(collection) == "rules" ? "rule" : "journey";
                return json_error(404, "not_found", std::string("No ") + what + " has the id \"" + id + "\".");
            }
            for (const auto& [key, value] : fields.items()) {
                items[index][key] = value;
            }
            try {
                bot::parse_playbook(document);
            } catch (const common::InputRejected& rejected) {
                // The pointer names the field in this item's terms: /<field>.
                common::InputError error = rejected.error();
                const std::string prefix = std::string("/") + collection + "/" + std::to_string(index);
                if (error.path.rfind(prefix, 0) == 0) {
                    error.path.erase(0, prefix.size());
                }
                return json_error(400, error);
            }
            if (std::string(collection) == "rules") {
                if (auto problem = check_rule_references(db, items[index])) {
                    return *problem;
                }
            }
            store::PlaybookStore(db).put(document.dump(), m_clock());
            audit(db, request, action, id, fields, m_clock());
            return ok_json(with_defaults(document)[collection][index]);
        });
    });
}

} // namespace pheu::handlers
