#pragma once
// How many customers each stage would hold under other thresholds: every customer's facts
// through decide_stage (bot/customers/stage_engine.h), the function the stage keeper uses,
// so the preview and what pheu then does never disagree. Pure: rows go in, counts come out.
#include "bot/customers/stage_engine.h"
#include "store/customer_queries.h"

#include <array>
#include <cstdint>
#include <optional>

namespace pheu::bot {

class StagePreview {
public:
    StagePreview(StageThresholds thresholds, std::int64_t now) : m_thresholds(thresholds), m_now(now) {}

    // Rows in customer id order, as store::CustomerQueries::for_each_stage_fact gives them.
    void add(const store::StageFactRow& row);
    // The counts by Stage, the last customer included.
    std::array<std::int64_t, 4> counts();

private:
    void decide_current();

    StageThresholds m_thresholds;
    std::int64_t m_now;
    std::optional<std::int64_t> m_customer;
    StageFacts m_facts;
    std::array<std::int64_t, 4> m_counts{};
};

} // namespace pheu::bot
