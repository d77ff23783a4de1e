#include "bot/playbook/held_message_check.h"

#include "bot/trigger.h"
#include "common/json_fields.h"
#include "templates/builtin_pack.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace pheu::bot {

std::optional<MessageKey> parse_message_key(const std::string& idempotency_key) {
    if (idempotency_key.rfind("msg:", 0) != 0) {
        return std::nullopt;
    }
    const std::size_t customer_end = idempotency_key.find(':', 4);
    if (customer_end == std::string::npos) {
        return std::nullopt;
    }
    const std::size_t rule_end = idempotency_key.find(':', customer_end + 1);
    if (rule_end == std::string::npos) {
        return std::nullopt;
    }
    return MessageKey{idempotency_key.substr(customer_end + 1, rule_end - customer_end - 1),
                      idempotency_key.substr(rule_end + 1)};
}

std::optional<std::string> held_message_staleness(const PlaybookRule* rule, const CustomerSnapshot& customer,
                                                  std::optional<std::int64_t> anchor_at,
                                                  const std::optional<store::UseVerdict>& voucher) {
    if (rule == nullptr || !rule->enabled) {
        return "stale: the rule that chose this message is no longer in the playbook";
    }
    if (!conditions_hold(rule->conditions, customer, anchor_at)) {
        return "stale: the customer no longer fits the rule that chose this message (now " +
               std::string(stage_id(customer.stage)) + ")";
    }
    if (voucher && !voucher->may_use) {
        return "stale: the voucher in this message can no longer be used (" + voucher->reason + ")";
    }
    return std::nullopt;
}

HeldMessageCheck::HeldMessageCheck(store::sql::Connection& db)
    : m_playbooks(db), m_audience(db), m_vouchers(db, nullptr) {}

const Playbook& HeldMessageCheck::playbook() {
    const std::int64_t version = m_playbooks.updated_at();
    if (version != m_playbook_version) {
        const auto stored = m_playbooks.get();
        try {
            m_playbook = parse_playbook(stored ? nlohmann::json::parse(*stored) : templates::builtin_pack().playbook);
        } catch (const std::exception& error) {
            spdlog::error(
                "delivery: the stored playbook is invalid; held messages are checked against the last good one: {}",
                error.what());
        }
        m_playbook_version = version;
    }
    return m_playbook;
}

std::optional<std::string> HeldMessageCheck::stale_reason(const store::DeliveryRow& row, std::int64_t now) {
    const auto key = parse_message_key(row.idempotency_key);
    if (!key) {
        return std::nullopt; // not a playbook message (a retry of a console resend, a tag)
    }
    const PlaybookRule* rule = nullptr;
    for (const auto& candidate : playbook().rules) {
        if (candidate.id == key->rule_id) {
            rule = &candidate;
        }
    }
    const store::AudienceRow audience = m_audience.audience(row.customer_id);
    CustomerSnapshot customer;
    customer.stage = parse_stage(audience.stage).value_or(Stage::new_lead);
    customer.opted_out = audience.opted_out;
    customer.cart_not_empty = audience.has_cart;
    customer.last_order_at = audience.last_order_at;
    customer.channels = {row.channel};
    std::optional<std::int64_t> anchor_at;
    if (const auto trigger = Trigger::parse(row.trigger); trigger && trigger->kind() == TriggerKind::journey_step) {
        try {
            anchor_at = std::stoll(key->occasion);
        } catch (const std::exception&) {
            anchor_at.reset();
        }
    }
    std::optional<store::UseVerdict> voucher;
    const auto payload = nlohmann::json::parse(row.payload_json, nullptr, false);
    if (const std::string code = payload.is_object() ? common::string_field(payload, "voucher_code") : std::string();
        !code.empty()) {
        if (const auto status = m_vouchers.code_status(code)) {
            voucher = store::may_use_code(*status, row.customer_id, now);
            const auto campaign = m_vouchers.campaign(status->campaign_id);
            const auto& stages = campaign ? campaign->eligible_stages : std::vector<std::string>{};
            if (voucher->may_use && !stages.empty() &&
                std::find(stages.begin(), stages.end(), audience.stage) == stages.end()) {
                voucher = store::UseVerdict{false, "not_eligible_now"};
            }
        }
    }
    return held_message_staleness(rule, customer, anchor_at, voucher);
}

} // namespace pheu::bot
