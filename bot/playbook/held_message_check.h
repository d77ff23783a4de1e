#pragma once
// A message held back (quiet hours, the caps, the OA link, staff handoff) was decided for the
// customer as they were then. Before it goes, the rule that chose it must still hold: a lead's
// welcome with a first-order code must not reach someone who bought in the meantime. The pure
// part (held_message_staleness) decides from the rule and the customer as they are now; the
// class reads them, in the dispatcher's claim transaction.
#include "bot/playbook/playbook.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <optional>
#include <string>

#include "store/audience_store.h"
#include "store/delivery_store.h"
#include "store/playbook_store.h"
#include "store/voucher_store.h"

namespace pheu::bot {

// The rule id and occasion in a message's idempotency key ("msg:<customer>:<rule>:<occasion>").
struct MessageKey {
    std::string rule_id;
    std::string occasion;
};
std::optional<MessageKey> parse_message_key(const std::string& idempotency_key);

// Why the held message is stale ("stale: …"), or nullopt when it may still go. `rule` is null
// when the playbook no longer has it; `voucher` is the verdict on the code the message carries.
std::optional<std::string> held_message_staleness(const PlaybookRule* rule, const CustomerSnapshot& customer,
                                                  std::optional<std::int64_t> anchor_at,
                                                  const std::optional<store::UseVerdict>& voucher);

class HeldMessageCheck {
public:
    explicit HeldMessageCheck(store::sql::Connection& db);

    std::optional<std::string> stale_reason(const store::DeliveryRow& row, std::int64_t now);

private:
    const Playbook& playbook();

    store::PlaybookStore m_playbooks;
    store::AudienceStore m_audience;
    store::VoucherStore m_vouchers;
    Playbook m_playbook;
    std::int64_t m_playbook_version = -1;
};

} // namespace pheu::bot
