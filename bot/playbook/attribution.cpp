#include "bot/playbook/attribution.h"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

namespace pheu::bot {

namespace {

auto order_key(const store::MessageTouch& touch) {
    return std::tuple(touch.customer_id, touch.at, touch.message_id);
}

void add_counts(MessageOutcomes& outcomes, const store::MessageCountRow& row) {
    outcomes.sent += row.sent;
    outcomes.delivered += row.delivered;
    outcomes.seen += row.seen;
    outcomes.clicked += row.clicked;
    outcomes.cost_vnd += row.cost_vnd;
    outcomes.sent_customers_converted += row.sent_customers_converted;
}

} // namespace

std::vector<std::optional<std::int64_t>> attribute_purchases(std::vector<store::MessageTouch> touches,
                                                             const std::vector<store::Purchase>& purchases,
                                                             std::int64_t window_ms) {
    std::sort(touches.begin(), touches.end(),
              [](const auto& left, const auto& right) { return order_key(left) < order_key(right); });
    std::vector<std::optional<std::int64_t>> attributed;
    attributed.reserve(purchases.size());
    for (const auto& purchase : purchases) {
        // The first touch after the purchase (or of a later customer); the one before it is
        // the customer's last touch up to the purchase, if it is theirs.
        const auto after = std::upper_bound(
            touches.begin(), touches.end(),
            std::tuple(purchase.customer_id, purchase.placed_at, std::numeric_limits<std::int64_t>::max()),
            [](const auto& key, const store::MessageTouch& touch) { return key < order_key(touch); });
        std::optional<std::int64_t> message;
        if (after != touches.begin()) {
            const auto& last = *std::prev(after);
            if (last.customer_id == purchase.customer_id && last.at >= purchase.placed_at - window_ms) {
                message = last.message_id;
            }
        }
        attributed.push_back(message);
    }
    return attributed;
}

std::vector<TriggerResults> message_report(const std::vector<store::MessageCountRow>& counts,
                                           const store::AttributionFacts& facts, std::int64_t window_ms) {
    std::map<std::string, TriggerResults> triggers;
    std::map<std::pair<std::string, std::string>, MessageOutcomes> templates;
    for (const auto& row : counts) {
        TriggerResults& trigger = triggers[row.trigger];
        trigger.trigger = row.trigger;
        add_counts(trigger.outcomes, row);
        trigger.held_out += row.held_out;
        trigger.control_converted += row.control_converted;
        add_counts(templates[{row.trigger, row.template_id}], row);
    }
    const auto attributed = attribute_purchases(facts.touches, facts.purchases, window_ms);
    for (std::size_t i = 0; i < attributed.size(); ++i) {
        if (!attributed[i]) {
            continue;
        }
        const auto label = facts.period_messages.find(*attributed[i]);
        if (label == facts.period_messages.end()) {
            continue; // a message written before or after the period
        }
        for (MessageOutcomes* outcomes : {&triggers[label->second.trigger].outcomes,
                                          &templates[{label->second.trigger, label->second.template_id}]}) {
            ++outcomes->converted;
            outcomes->revenue += facts.purchases[i].total;
        }
        triggers[label->second.trigger].trigger = label->second.trigger;
    }
    std::vector<TriggerResults> report;
    for (auto& [id, trigger] : triggers) {
        const auto lift_of = [&trigger = trigger](const MessageOutcomes& outcomes) {
            return conversion_lift(outcomes.sent, outcomes.sent_customers_converted, trigger.held_out,
                                   trigger.control_converted);
        };
        trigger.outcomes.lift = lift_of(trigger.outcomes);
        for (auto found = templates.lower_bound({id, ""}); found != templates.end() && found->first.first == id;
             ++found) {
            found->second.lift = lift_of(found->second);
            trigger.templates.push_back(TemplateResults{.template_id = found->first.second, .outcomes = found->second});
        }
        report.push_back(std::move(trigger));
    }
    return report;
}

} // namespace pheu::bot
