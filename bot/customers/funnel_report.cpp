#include "bot/customers/funnel_report.h"

namespace pheu::bot {

namespace {

constexpr std::int64_t k_dense_ids = std::int64_t{1} << 26; // 64 MiB at most, for 67M customers

std::size_t index_of(Stage stage) {
    return static_cast<std::size_t>(stage);
}

std::uint8_t slot_value(Stage stage) {
    return static_cast<std::uint8_t>(index_of(stage) + 1);
}

Conversion conversion(std::int64_t converted, std::int64_t base) {
    return Conversion{converted, base, base > 0 ? static_cast<double>(converted) / static_cast<double>(base) : 0.0};
}

} // namespace

FunnelReplay::FunnelReplay(std::int64_t period_start, std::int64_t period_end, std::vector<std::int64_t> day_ends,
                           const StageCounts& unchanged)
    : m_start(period_start), m_end(period_end), m_day_ends(std::move(day_ends)), m_at_start(unchanged) {
    m_change_at_day_end.reserve(m_day_ends.size());
}

std::uint8_t& FunnelReplay::slot_of(std::int64_t customer_id) {
    if (customer_id < 0 || customer_id >= k_dense_ids) {
        return m_sparse[customer_id];
    }
    const auto index = static_cast<std::size_t>(customer_id);
    if (index >= m_dense.size()) {
        m_dense.resize(std::max(index + 1, m_dense.size() * 2), 0);
    }
    return m_dense[index];
}

void FunnelReplay::close_days_until(std::int64_t moment) {
    // A day ends just before its end moment: a change at that moment is the next day's.
    while (m_change_at_day_end.size() < m_day_ends.size() && m_day_ends[m_change_at_day_end.size()] <= moment) {
        m_change_at_day_end.push_back(m_change);
    }
}

void FunnelReplay::add(const StageChangeRow& row) {
    if (row.at < m_start) {
        return;
    }
    std::uint8_t& slot = slot_of(row.customer_id);
    const bool first_since_start = slot == 0;
    std::optional<Stage> before;
    if (!first_since_start) {
        before = k_all_stages[slot - 1];
    } else if (row.from) {
        // Where this customer stood at the start: its first change since then came from there.
        before = row.from;
        ++m_at_start[index_of(*row.from)];
    }
    slot = slot_value(row.to);
    if (row.at > m_end) {
        // After the period: it told where its customer stood at the start, and no more. Its
        // customer is now marked, so any later change of theirs is skipped here too.
        return;
    }
    close_days_until(row.at);
    if (before) {
        --m_change[index_of(*before)];
    }
    ++m_change[index_of(row.to)];
    ++m_entered[index_of(row.to)];
    // The transition the row records: for a merged customer the histories of two people
    // interleave, and the stage tracked here would pair changes that never followed each other.
    ++m_transitions[row.from ? index_of(*row.from) + 1 : 0][index_of(row.to)];
    if (!before && row.to != Stage::dormant) {
        ++m_became_active;
    }
}

FunnelOverTime FunnelReplay::finish() {
    close_days_until(m_end);
    while (m_change_at_day_end.size() < m_day_ends.size()) {
        m_change_at_day_end.push_back(m_change);
    }
    for (const auto& change : m_change_at_day_end) {
        StageCounts counts{};
        for (std::size_t i = 0; i < counts.size(); ++i) {
            counts[i] = m_at_start[i] + change[i];
        }
        m_report.per_day.push_back(counts);
    }
    for (std::size_t from = 0; from < m_transitions.size(); ++from) {
        for (Stage to : k_all_stages) {
            if (const std::int64_t count = m_transitions[from][index_of(to)]; count > 0) {
                m_report.transitions[{from == 0 ? "none" : stage_id(k_all_stages[from - 1]), stage_id(to)}] = count;
            }
        }
    }
    std::int64_t not_dormant_at_start = 0;
    for (Stage stage : k_all_stages) {
        if (stage != Stage::dormant) {
            not_dormant_at_start += m_at_start[index_of(stage)];
        }
    }
    auto transitions = [&](const char* from, const char* to) {
        auto found = m_report.transitions.find({from, to});
        return found == m_report.transitions.end() ? std::int64_t{0} : found->second;
    };
    const auto lead = index_of(Stage::new_lead);
    const auto customer = index_of(Stage::new_customer);
    const auto dormant = index_of(Stage::dormant);
    m_report.lead_to_customer = conversion(transitions("new_lead", "new_customer"), m_at_start[lead] + m_entered[lead]);
    m_report.customer_to_frequent =
        conversion(transitions("new_customer", "frequent_buyer"), m_at_start[customer] + m_entered[customer]);
    std::int64_t into_dormant = 0;
    std::int64_t out_of_dormant = 0;
    for (const auto& [pair, count] : m_report.transitions) {
        if (pair.second == "dormant" && pair.first != "dormant") {
            into_dormant += count;
        }
        if (pair.first == "dormant" && pair.second != "dormant") {
            out_of_dormant += count;
        }
    }
    m_report.to_dormant = conversion(into_dormant, not_dormant_at_start + m_became_active);
    m_report.dormant_back = conversion(out_of_dormant, m_at_start[dormant] + m_entered[dormant]);
    return std::move(m_report);
}

} // namespace pheu::bot
