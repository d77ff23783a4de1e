#pragma once
// Which message earned a purchase, and what each trigger and template of a period earned.
// Pure: the facts come from store::MessageResults.
//
// Last touch: a purchase placed within the attribution window after a message was delivered
// (or sent, where no receipt came) or after a click on one of its links is the last such
// message's; a purchase with no touch in the window is nobody's. Treatment and control
// compare customers: those sent a message and those held out of it, each counted as
// converted when they bought within the window after it.
#include "bot/playbook/holdout.h"
#include "store/message_results.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::bot {

// For each purchase, in order, the id of the message it is attributed to, if any. On a tie
// in time the later-written message (the larger id) wins.
std::vector<std::optional<std::int64_t>> attribute_purchases(std::vector<store::MessageTouch> touches,
                                                             const std::vector<store::Purchase>& purchases,
                                                             std::int64_t window_ms);

struct MessageOutcomes {
    std::int64_t sent = 0;
    std::int64_t delivered = 0;
    std::int64_t seen = 0;
    std::int64_t clicked = 0;
    std::int64_t converted = 0; // purchases attributed
    std::int64_t revenue = 0;   // their totals, VND
    std::int64_t cost_vnd = 0;
    std::int64_t sent_customers_converted = 0;
    std::optional<Lift> lift; // against the trigger's control group, once both groups have customers
};

struct TemplateResults {
    std::string template_id;
    MessageOutcomes outcomes;
};

struct TriggerResults {
    std::string trigger;
    MessageOutcomes outcomes; // all its templates together
    std::int64_t held_out = 0;
    std::int64_t control_converted = 0;
    std::vector<TemplateResults> templates; // by template id: a rule's variants and fallbacks
};

// Per trigger, in trigger order: the counts with the purchases attributed to its messages
// written in the period.
std::vector<TriggerResults> message_report(const std::vector<store::MessageCountRow>& counts,
                                           const store::AttributionFacts& facts, std::int64_t window_ms);

} // namespace pheu::bot
