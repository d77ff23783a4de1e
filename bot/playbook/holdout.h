#pragma once
// Experiments on the shop's messages. Holdout groups: the share of an audience kept as a control group, which gets
// nothing, so that a report can tell what the message itself earned. Pure and deterministic: the same customer is in or
// out of the same experiment on every machine and after every restart, and independently of other experiments.
#include "store/template_variant.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pheu::bot {

// True for about `percent` % of customers (0-100) of the experiment (e.g. "broadcast:7").
bool in_holdout(std::string_view experiment, std::int64_t customer_id, int percent);

// Which of an experiment's variants a customer gets: index i for about weights[i] / sum of
// the weights of customers, the same one every time, independently of the holdout. 0 when
// there are no positive weights.
std::size_t pick_variant(std::string_view experiment, std::int64_t customer_id, const std::vector<int>& weights);

// The template a customer gets: their variant's, or `otherwise` when there are no variants.
const std::string& variant_template(std::string_view experiment, std::int64_t customer_id,
                                    const std::vector<store::TemplateVariant>& variants, const std::string& otherwise);

// What a message added to the share of customers who bought: the treatment's conversion rate
// minus the control group's, with its 95 % confidence interval (normal approximation of
// the difference of two proportions).
struct Lift {
    double treatment_rate = 0;
    double control_rate = 0;
    double lift = 0; // treatment_rate - control_rate
    double low = 0;
    double high = 0;
};

// Nullopt while either group is empty: no comparison yet.
std::optional<Lift> conversion_lift(std::int64_t treated, std::int64_t treated_converted, std::int64_t control,
                                    std::int64_t control_converted);

} // namespace pheu::bot
