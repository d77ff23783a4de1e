#include "bot/customers/stage_preview.h"

namespace pheu::bot {

void StagePreview::add(const store::StageFactRow& row) {
    if (m_customer != row.customer_id) {
        decide_current();
        m_customer = row.customer_id;
        m_facts = StageFacts{.orders = {}, .last_interaction_at = row.last_interaction_at};
    }
    if (row.order_id) {
        m_facts.orders[*row.order_id] = OrderFact{.placed_at = row.order_at, .cancelled = row.cancelled};
    }
}

std::array<std::int64_t, 4> StagePreview::counts() {
    decide_current();
    return m_counts;
}

void StagePreview::decide_current() {
    if (!m_customer) {
        return;
    }
    ++m_counts[static_cast<std::size_t>(decide_stage(m_facts, m_thresholds, m_now).stage)];
    m_customer.reset();
}

} // namespace pheu::bot
