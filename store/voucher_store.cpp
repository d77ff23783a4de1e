#include "store/voucher_store.h"

#include "store/sql_helpers.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace pheu::store {

namespace {

constexpr std::int64_t k_day_ms = 24LL * 60 * 60 * 1000;
// A generated code colliding with an existing one is rare; a few retries make it vanishing.
constexpr int k_generate_attempts = 8;

constexpr const char* k_campaign_columns =
    "id, description, coalesce(code_pattern, ''), validity_days, per_customer_limit, eligible_stages, active, "
    "honour_shared";

VoucherCampaign read_campaign(sql::Statement& row) {
    VoucherCampaign campaign;
    campaign.id = row.text(0);
    campaign.description = row.text(1);
    campaign.code_pattern = row.text(2);
    campaign.validity_days = row.int64(3);
    campaign.per_customer_limit = row.int32(4);
    const auto stages = nlohmann::json::parse(row.text(5), nullptr, false);
    if (stages.is_array()) {
        for (const auto& stage : stages) {
            if (stage.is_string()) {
                campaign.eligible_stages.push_back(stage.get<std::string>());
            }
        }
    }
    campaign.active = row.int32(6) != 0;
    campaign.honour_shared = row.int32(7) != 0;
    return campaign;
}

void bind_campaign(sql::Statement& statement, const VoucherCampaign& campaign, std::int64_t now_ms) {
    statement.bind(1, campaign.id);
    statement.bind(2, campaign.description);
    bind_text_or_null(statement, 3, campaign.code_pattern);
    statement.bind(4, static_cast<int64_t>(campaign.validity_days));
    statement.bind(5, campaign.per_customer_limit);
    statement.bind(6, nlohmann::json(campaign.eligible_stages).dump());
    statement.bind(7, campaign.active ? 1 : 0);
    statement.bind(8, static_cast<int64_t>(now_ms));
    statement.bind(9, campaign.honour_shared ? 1 : 0);
}

constexpr const char* k_insert_campaign =
    "INSERT INTO voucher_campaigns (id, description, code_pattern, validity_days, per_customer_limit, "
    "eligible_stages, active, updated_at, honour_shared) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO "
    "NOTHING";

} // namespace

const char* issue_outcome_id(IssueOutcome outcome) {
    switch (outcome) {
    case IssueOutcome::issued:
        return "issued";
    case IssueOutcome::already_held:
        return "already_held";
    case IssueOutcome::unknown_campaign:
        return "unknown_campaign";
    case IssueOutcome::inactive:
        return "inactive";
    case IssueOutcome::not_eligible:
        return "not_eligible";
    case IssueOutcome::limit_reached:
        return "limit_reached";
    case IssueOutcome::pool_empty:
        return "pool_empty";
    }
    return "unknown";
}

VoucherStore::VoucherStore(sql::Connection& db, CodeGenerator generate)
    : m_statements(db), m_generate(std::move(generate)) {}

std::optional<VoucherCampaign> VoucherStore::campaign(const std::string& id) {
    auto query = m_statements(std::string("SELECT ") + k_campaign_columns + " FROM voucher_campaigns WHERE id = ?");
    query->bind(1, id);
    if (!query->step()) {
        return std::nullopt;
    }
    return read_campaign(*query);
}

CampaignUse VoucherStore::use_of(const std::string& campaign_id) {
    auto counts = m_statements("SELECT count(customer_id), count(redeemed_at), count(*) - count(customer_id) "
                               "FROM voucher_codes WHERE campaign_id = ?");
    counts->bind(1, campaign_id);
    counts->step();
    auto shared = m_statements("SELECT count(*), coalesce(sum(honoured), 0) FROM voucher_shared_uses "
                               "WHERE campaign_id = ?");
    shared->bind(1, campaign_id);
    shared->step();
    return CampaignUse{.issued = counts->int64(0),
                       .redeemed = counts->int64(1),
                       .pool_available = counts->int64(2),
                       .used_by_others = shared->int64(0),
                       .used_by_others_honoured = shared->int64(1)};
}

std::vector<VoucherCampaign> VoucherStore::campaigns() {
    auto query = m_statements(std::string("SELECT ") + k_campaign_columns + " FROM voucher_campaigns ORDER BY id");
    std::vector<VoucherCampaign> campaigns;
    while (query->step()) {
        campaigns.push_back(read_campaign(*query));
    }
    return campaigns;
}

bool VoucherStore::seed_campaign(const VoucherCampaign& campaign, std::int64_t now_ms) {
    auto insert = m_statements(k_insert_campaign);
    bind_campaign(*insert, campaign, now_ms);
    return insert->run() == 1;
}

void VoucherStore::update_campaign(const VoucherCampaign& campaign, std::int64_t now_ms) {
    auto update = m_statements("UPDATE voucher_campaigns SET description = ?2, code_pattern = ?3, validity_days = ?4, "
                               "per_customer_limit = ?5, eligible_stages = ?6, active = ?7, updated_at = ?8, "
                               "honour_shared = ?9 WHERE id = ?1");
    bind_campaign(*update, campaign, now_ms);
    update->run();
}

int VoucherStore::import_codes(const std::string& campaign_id, const std::vector<std::string>& codes,
                               std::optional<std::int64_t> valid_until) {
    auto insert = m_statements("INSERT INTO voucher_codes (code, campaign_id, valid_until) VALUES (?, ?, ?) "
                               "ON CONFLICT (code) DO NOTHING");
    int added = 0;
    for (const auto& code : codes) {
        insert->reset();
        insert->bind(1, code);
        insert->bind(2, campaign_id);
        bind_optional_int(*insert, 3, valid_until);
        added += static_cast<int>(insert->run());
    }
    return added;
}

std::optional<IssuedVoucher> VoucherStore::held(const std::string& campaign_id, std::int64_t customer_id,
                                                std::int64_t now_ms) {
    auto query = m_statements("SELECT v.code, v.expires_at, c.description FROM voucher_codes v "
                              "JOIN voucher_campaigns c ON c.id = v.campaign_id "
                              "WHERE v.customer_id = ? AND v.campaign_id = ? AND v.redeemed_at IS NULL "
                              "AND v.expires_at > ? ORDER BY v.issued_at DESC LIMIT 1");
    query->bind(1, static_cast<int64_t>(customer_id));
    query->bind(2, campaign_id);
    query->bind(3, static_cast<int64_t>(now_ms));
    if (!query->step()) {
        return std::nullopt;
    }
    return IssuedVoucher{query->text(0), campaign_id, query->text(2), query->int64(1)};
}

IssueResult VoucherStore::issue(const std::string& campaign_id, std::int64_t customer_id, const std::string& stage,
                                std::int64_t now_ms, const ExpiryRounding& round_expiry) {
    const auto found = campaign(campaign_id);
    if (!found) {
        return {IssueOutcome::unknown_campaign, std::nullopt};
    }
    return issue(*found, customer_id, stage, now_ms, round_expiry);
}

IssueResult VoucherStore::issue(const VoucherCampaign& campaign, std::int64_t customer_id, const std::string& stage,
                                std::int64_t now_ms, const ExpiryRounding& round_expiry) {
    if (auto voucher = held(campaign.id, customer_id, now_ms)) {
        return {IssueOutcome::already_held, voucher};
    }
    if (!campaign.active) {
        return {IssueOutcome::inactive, std::nullopt};
    }
    const auto& stages = campaign.eligible_stages;
    if (!stages.empty() && std::find(stages.begin(), stages.end(), stage) == stages.end()) {
        return {IssueOutcome::not_eligible, std::nullopt};
    }
    auto count = m_statements("SELECT count(*) FROM voucher_codes WHERE customer_id = ? AND campaign_id = ? "
                              "AND (redeemed_at IS NOT NULL OR expires_at > ?)");
    count->bind(1, static_cast<int64_t>(customer_id));
    count->bind(2, campaign.id);
    count->bind(3, static_cast<int64_t>(now_ms));
    count->step();
    if (count->int32(0) >= campaign.per_customer_limit) {
        return {IssueOutcome::limit_reached, std::nullopt};
    }
    std::int64_t expires_at = now_ms + campaign.validity_days * k_day_ms;
    if (round_expiry) {
        expires_at = round_expiry(expires_at);
    }
    if (auto voucher = claim_pool_code(campaign, customer_id, now_ms, expires_at)) {
        return {IssueOutcome::issued, voucher};
    }
    if (auto voucher = generate_code(campaign, customer_id, now_ms, expires_at)) {
        return {IssueOutcome::issued, voucher};
    }
    return {IssueOutcome::pool_empty, std::nullopt};
}

std::optional<IssuedVoucher> VoucherStore::claim_pool_code(const VoucherCampaign& campaign, std::int64_t customer_id,
                                                           std::int64_t now_ms, std::int64_t expires_at) {
    // The "customer_id IS NULL" guard on the row itself makes the claim safe even if two
    // writers were ever to pick the same free code: only one UPDATE changes it. SQLite has
    // one writer at a time; on PostgreSQL, writers on several connections (and instances)
    // claim at once, and each skips the codes another is claiming rather than wait for one
    // and then find it taken.
    auto claim =
        m_statements(std::string("UPDATE voucher_codes SET customer_id = ?1, issued_at = ?2, "
                                 "expires_at = min(?3, coalesce(valid_until, ?3)) "
                                 "WHERE code = (SELECT code FROM voucher_codes WHERE campaign_id = ?4 AND customer_id "
                                 "IS NULL AND (valid_until IS NULL OR valid_until > ?2) ORDER BY code LIMIT 1") +
                     skip_claimed(m_statements.backend()) + ") AND customer_id IS NULL RETURNING code, expires_at");
    claim->bind(1, static_cast<int64_t>(customer_id));
    claim->bind(2, static_cast<int64_t>(now_ms));
    claim->bind(3, static_cast<int64_t>(expires_at));
    claim->bind(4, campaign.id);
    if (!claim->step()) {
        return std::nullopt;
    }
    return IssuedVoucher{claim->text(0), campaign.id, campaign.description, claim->int64(1)};
}

std::optional<IssuedVoucher> VoucherStore::generate_code(const VoucherCampaign& campaign, std::int64_t customer_id,
                                                         std::int64_t now_ms, std::int64_t expires_at) {
    if (campaign.code_pattern.empty() || !m_generate) {
        return std::nullopt;
    }
    auto insert = m_statements("INSERT INTO voucher_codes (code, campaign_id, customer_id, issued_at, expires_at) "
                               "VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING");
    for (int attempt = 0; attempt < k_generate_attempts; ++attempt) {
        const std::string code = m_generate(campaign.code_pattern);
        insert->reset();
        insert->bind(1, code);
        insert->bind(2, campaign.id);
        insert->bind(3, static_cast<int64_t>(customer_id));
        insert->bind(4, static_cast<int64_t>(now_ms));
        insert->bind(5, static_cast<int64_t>(expires_at));
        if (insert->run() == 1) {
            return IssuedVoucher{code, campaign.id, campaign.description, expires_at};
        }
    }
    return std::nullopt;
}

RedeemOutcome VoucherStore::redeem(const std::string& code, const std::string& order_id, std::int64_t redeemer_id,
                                   std::int64_t at_ms) {
    const auto status = code_status(code);
    if (!status) {
        return RedeemOutcome::unknown_code;
    }
    if (status->redeemed_at) {
        return RedeemOutcome::already_redeemed;
    }
    const bool shared = status->owner_id && *status->owner_id != redeemer_id;
    if (shared) {
        auto record =
            m_statements("INSERT INTO voucher_shared_uses (code, order_id, campaign_id, owner_id, redeemer_id, "
                         "used_at, honoured) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        record->bind(1, code);
        record->bind(2, order_id);
        record->bind(3, status->campaign_id);
        record->bind(4, static_cast<int64_t>(*status->owner_id));
        record->bind(5, static_cast<int64_t>(redeemer_id));
        record->bind(6, static_cast<int64_t>(at_ms));
        record->bind(7, status->honour_shared ? 1 : 0);
        record->run();
        if (!status->honour_shared) {
            return RedeemOutcome::shared_refused;
        }
    }
    auto update = m_statements("UPDATE voucher_codes SET redeemed_at = ?, order_id = ?, redeemed_by = ? "
                               "WHERE code = ? AND redeemed_at IS NULL");
    update->bind(1, static_cast<int64_t>(at_ms));
    update->bind(2, order_id);
    update->bind(3, static_cast<int64_t>(redeemer_id));
    update->bind(4, code);
    update->run();
    return shared ? RedeemOutcome::shared_honoured : RedeemOutcome::redeemed;
}

std::optional<CodeStatus> VoucherStore::code_status(const std::string& code) {
    auto query = m_statements(
        "SELECT v.code, v.campaign_id, c.description, v.customer_id, coalesce(v.expires_at, v.valid_until), "
        "v.redeemed_at, v.redeemed_by, coalesce(v.order_id, ''), c.honour_shared "
        "FROM voucher_codes v JOIN voucher_campaigns c ON c.id = v.campaign_id WHERE v.code = ?");
    query->bind(1, code);
    if (!query->step()) {
        return std::nullopt;
    }
    const auto optional_int = [&](int column) {
        return query->is_null(column) ? std::nullopt : std::optional<std::int64_t>(query->int64(column));
    };
    CodeStatus status;
    status.code = query->text(0);
    status.campaign_id = query->text(1);
    status.description = query->text(2);
    status.owner_id = optional_int(3);
    status.valid_until = optional_int(4);
    status.redeemed_at = optional_int(5);
    status.redeemed_by = optional_int(6);
    status.order_id = query->text(7);
    status.honour_shared = query->int32(8) != 0;
    return status;
}

const char* redeem_outcome_id(RedeemOutcome outcome) {
    switch (outcome) {
    case RedeemOutcome::redeemed:
        return "redeemed";
    case RedeemOutcome::shared_honoured:
        return "shared_honoured";
    case RedeemOutcome::shared_refused:
        return "shared_refused";
    case RedeemOutcome::already_redeemed:
        return "already_redeemed";
    case RedeemOutcome::unknown_code:
        return "unknown_code";
    }
    return "unknown";
}

UseVerdict may_use_code(const CodeStatus& code, std::optional<std::int64_t> customer_id, std::int64_t now_ms) {
    if (code.redeemed_at) {
        return {false, "redeemed"};
    }
    if (code.valid_until && *code.valid_until <= now_ms) {
        return {false, "expired"};
    }
    if (!code.owner_id) {
        return {false, "not_issued"}; // still in the pool: nobody was given it
    }
    if (customer_id && *customer_id != *code.owner_id && !code.honour_shared) {
        return {false, "belongs_to_another_customer"};
    }
    return {true, ""};
}

} // namespace pheu::store
