#include "bot/playbook/holdout.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace pheu::bot {

namespace {

// FNV-1a, then SplitMix64's finaliser: FNV alone spreads consecutive customer ids poorly
// over the low digits a percentage reads.
std::uint64_t mixed_hash(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    hash ^= hash >> 30;
    hash *= 0xbf58476d1ce4e5b9ULL;
    hash ^= hash >> 27;
    hash *= 0x94d049bb133111ebULL;
    hash ^= hash >> 31;
    return hash;
}

} // namespace

bool in_holdout(std::string_view experiment, std::int64_t customer_id, int percent) {
    if (percent <= 0) {
        return false;
    }
    const std::string key = std::string(experiment) + "/" + std::to_string(customer_id);
    return mixed_hash(key) % 10000 < static_cast<std::uint64_t>(percent) * 100;
}

std::size_t pick_variant(std::string_view experiment, std::int64_t customer_id, const std::vector<int>& weights) {
    std::uint64_t total = 0;
    for (const int weight : weights) {
        total += static_cast<std::uint64_t>(std::max(weight, 0));
    }
    if (total == 0) {
        return 0;
    }
    // A hash of its own ("variant/"), so the variant a customer gets says nothing of whether
    // they were held out.
    const std::string key = "variant/" + std::string(experiment) + "/" + std::to_string(customer_id);
    std::uint64_t point = mixed_hash(key) % total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const auto weight = static_cast<std::uint64_t>(std::max(weights[i], 0));
        if (point < weight) {
            return i;
        }
        point -= weight;
    }
    return weights.size() - 1;
}

const std::string& variant_template(std::string_view experiment, std::int64_t customer_id,
                                    const std::vector<store::TemplateVariant>& variants, const std::string& otherwise) {
    if (variants.empty()) {
        return otherwise;
    }
    std::vector<int> weights;
    weights.reserve(variants.size());
    for (const auto& variant : variants) {
        weights.push_back(variant.weight);
    }
    return variants[pick_variant(experiment, customer_id, weights)].template_id;
}

std::optional<Lift> conversion_lift(std::int64_t treated, std::int64_t treated_converted, std::int64_t control,
                                    std::int64_t control_converted) {
    if (treated <= 0 || control <= 0) {
        return std::nullopt;
    }
    constexpr double k_z95 = 1.959964;
    Lift lift;
    lift.treatment_rate = static_cast<double>(treated_converted) / static_cast<double>(treated);
    lift.control_rate = static_cast<double>(control_converted) / static_cast<double>(control);
    lift.lift = lift.treatment_rate - lift.control_rate;
    const double error = std::sqrt(lift.treatment_rate * (1 - lift.treatment_rate) / static_cast<double>(treated) +
                                   lift.control_rate * (1 - lift.control_rate) / static_cast<double>(control));
    lift.low = lift.lift - k_z95 * error;
    lift.high = lift.lift + k_z95 * error;
    return lift;
}

} // namespace pheu::bot
