#pragma once
// Holdout groups: the share of an audience kept as a control group, which gets nothing, so
// that a report can tell what the message itself earned. Pure and deterministic: the same
// customer is in or out of the same experiment on every machine and after every restart, and
// independently of other experiments.
#include <cstdint>
#include <string_view>

namespace pheu::bot {

// True for about `percent` % of customers (0-100) of the experiment (e.g. "broadcast:7").
bool in_holdout(std::string_view experiment, std::int64_t customer_id, int percent);

} // namespace pheu::bot
