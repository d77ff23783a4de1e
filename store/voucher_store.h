#pragma once
// Voucher campaigns and their codes. Issuing is idempotent (a customer asking again gets
// the code they hold while it is valid and unredeemed) and atomic: it runs inside the
// caller's write transaction, and an imported code is claimed by an UPDATE that only
// succeeds while the code is free, so two customers never share one.
#include "store/statement_cache.h"
#include "store/sql/connection.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pheu::store {

struct VoucherCampaign {
    std::string id;
    std::string description;  // what the code gives, for the message: "Giảm 10% cho đơn đầu tiên"
    std::string code_pattern; // generated codes ("CHAO-****"); empty: imported codes only
    std::int64_t validity_days = 14;
    int per_customer_limit = 1;
    std::vector<std::string> eligible_stages; // empty: every stage
    bool active = true;
    // A code used by another customer than its owner counts as redeemed (true), or is only
    // recorded and stays the owner's (false: personal codes stay personal).
    bool honour_shared = false;
};

enum class RedeemOutcome { redeemed, shared_honoured, shared_refused, already_redeemed, unknown_code };
const char* redeem_outcome_id(RedeemOutcome outcome);

// What the shop's till asks before checkout: whose code it is and whether it may be used.
struct CodeStatus {
    std::string code;
    std::string campaign_id;
    std::string description;
    std::optional<std::int64_t> owner_id;
    std::optional<std::int64_t> valid_until; // expiry of an issued code, else the pool's limit
    std::optional<std::int64_t> redeemed_at;
    std::optional<std::int64_t> redeemed_by;
    std::string order_id;
    bool honour_shared = false;
};

// Whether `customer_id` (nullopt: nobody named) may use the code at `now_ms`, and why not.
struct UseVerdict {
    bool may_use = false;
    std::string reason; // "", expired, redeemed, not_issued, belongs_to_another_customer
};
UseVerdict may_use_code(const CodeStatus& code, std::optional<std::int64_t> customer_id, std::int64_t now_ms);

struct IssuedVoucher {
    std::string code;
    std::string campaign_id;
    std::string description;
    std::int64_t expires_at = 0;
};

enum class IssueOutcome { issued, already_held, unknown_campaign, inactive, not_eligible, limit_reached, pool_empty };
const char* issue_outcome_id(IssueOutcome outcome);

// How far a campaign has gone, for the console's list.
struct CampaignUse {
    std::int64_t issued = 0;
    std::int64_t redeemed = 0;
    std::int64_t pool_available = 0;          // imported codes nobody holds yet
    std::int64_t used_by_others = 0;          // codes used by someone other than their owner
    std::int64_t used_by_others_honoured = 0; // of those, the ones the campaign honoured
};

struct IssueResult {
    IssueOutcome outcome = IssueOutcome::unknown_campaign;
    std::optional<IssuedVoucher> voucher; // for issued and already_held
};

class VoucherStore {
public:
    using CodeGenerator = std::function<std::string(const std::string& pattern)>;

    VoucherStore(sql::Connection& db, CodeGenerator generate);

    std::optional<VoucherCampaign> campaign(const std::string& id);
    std::vector<VoucherCampaign> campaigns();
    CampaignUse use_of(const std::string& campaign_id);
    // Adds the campaign unless its id exists (the built-in campaigns are seeded this way).
    bool seed_campaign(const VoucherCampaign& campaign, std::int64_t now_ms);
    // Rewrites the campaign's terms (its id stays).
    void update_campaign(const VoucherCampaign& campaign, std::int64_t now_ms);
    // Adds codes to a campaign's pool; codes already known are left alone. Returns how many
    // were added.
    int import_codes(const std::string& campaign_id, const std::vector<std::string>& codes,
                     std::optional<std::int64_t> valid_until);

    // Moves a new code's expiry to the end of the shop's day, so that "dùng đến hết ngày
    // 20/12" is true to the last minute of the 20th.
    using ExpiryRounding = std::function<std::int64_t(std::int64_t expires_at)>;

    // The customer's valid, unredeemed code of the campaign, or a new one. The campaign's
    // per-customer limit counts codes held valid or redeemed: an expired code is no longer
    // the customer's, so a lead whose welcome code lapsed can be offered another.
    IssueResult issue(const std::string& campaign_id, std::int64_t customer_id, const std::string& stage,
                      std::int64_t now_ms, const ExpiryRounding& round_expiry = {});
    // The same, for a campaign the caller read already (the pipeline keeps them in memory).
    IssueResult issue(const VoucherCampaign& campaign, std::int64_t customer_id, const std::string& stage,
                      std::int64_t now_ms, const ExpiryRounding& round_expiry);
    // The valid, unredeemed code the customer holds in the campaign, without issuing.
    std::optional<IssuedVoucher> held(const std::string& campaign_id, std::int64_t customer_id, std::int64_t now_ms);
    // The order `order_id` of `redeemer_id` used the code. The owner's use redeems it; another
    // customer's is recorded in voucher_shared_uses and redeems it only where the campaign
    // honours shared codes.
    RedeemOutcome redeem(const std::string& code, const std::string& order_id, std::int64_t redeemer_id,
                         std::int64_t at_ms);
    std::optional<CodeStatus> code_status(const std::string& code);

private:
    std::optional<IssuedVoucher> claim_pool_code(const VoucherCampaign& campaign, std::int64_t customer_id,
                                                 std::int64_t now_ms, std::int64_t expires_at);
    std::optional<IssuedVoucher> generate_code(const VoucherCampaign& campaign, std::int64_t customer_id,
                                               std::int64_t now_ms, std::int64_t expires_at);

    StatementCache m_statements;
    CodeGenerator m_generate;
};

} // namespace pheu::store
