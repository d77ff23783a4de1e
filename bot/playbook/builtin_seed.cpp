#include "bot/playbook/builtin_seed.h"

#include "bot/playbook/playbook.h"
#include "bot/voucher_code.h"
#include "store/playbook_store.h"
#include "store/template_store.h"
#include "store/voucher_store.h"
#include "templates/builtin_pack.h"

#include <stdexcept>

namespace pheu::bot {

SeedCounts seed_builtin_pack(store::sql::Connection& db, std::int64_t now_ms) {
    const auto& pack = templates::builtin_pack();
    parse_playbook(pack.playbook); // throws on a pack defect before anything is stored
    SeedCounts counts;
    store::sql::Transaction transaction(db);
    store::TemplateStore templates(db);
    for (const auto& item : pack.templates) {
        store::TemplateRow row;
        row.id = item.id;
        row.purpose = item.purpose;
        row.body = item.body;
        row.buttons_json = item.buttons.dump();
        row.image_url = item.image_url;
        row.updated_at = now_ms;
        if (templates.seed(row)) {
            ++counts.templates;
        } else if (auto stored = templates.get(item.id);
                   stored && stored->body != item.body && templates::is_released_body(item.id, stored->body)) {
            // The body only: buttons, image and purpose the shop may have set stay theirs.
            stored->body = item.body;
            templates.update(*stored, now_ms);
            ++counts.templates_updated;
        }
    }
    store::VoucherStore vouchers(db, nullptr);
    for (const auto& entry : pack.campaigns) {
        store::VoucherCampaign campaign;
        campaign.id = entry.at("id").get<std::string>();
        campaign.description = entry.at("description").get<std::string>();
        campaign.code_pattern = entry.value("code_pattern", std::string());
        campaign.validity_days = entry.value("validity_days", std::int64_t{14});
        campaign.per_customer_limit = entry.value("per_customer_limit", 1);
        campaign.eligible_stages = entry.value("eligible_stages", std::vector<std::string>());
        if (!campaign.code_pattern.empty() && !valid_code_pattern(campaign.code_pattern)) {
            throw std::logic_error("built-in voucher campaign " + campaign.id + " has an invalid code pattern");
        }
        counts.campaigns += vouchers.seed_campaign(campaign, now_ms) ? 1 : 0;
    }
    store::PlaybookStore playbooks(db);
    const std::string playbook = pack.playbook.dump();
    counts.playbook = playbooks.seed(playbook, now_ms);
    if (const auto stored = playbooks.get();
        !counts.playbook && stored && *stored != playbook && templates::is_released_playbook(*stored)) {
        playbooks.put(playbook, now_ms);
        counts.playbook_updated = true;
    }
    transaction.commit();
    return counts;
}

} // namespace pheu::bot
