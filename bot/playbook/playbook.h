#pragma once
// Playbooks: the shop's rules of trigger → conditions → template (+ voucher campaign), and
// the timed journeys whose steps are triggers of their own. Parsing validates a playbook
// document; choosing the rule for a trigger is a pure function of the customer's state.
#include "bot/message_purpose.h"
#include "bot/trigger.h"
#include "common/input_error.h"
#include "bot/stage.h"
#include "store/template_variant.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pheu::bot {

// A rule's trigger is kept as the text the shop wrote, checked and read by bot::Trigger
// (bot/trigger.h): "stage_entered:<stage>", "event:<type>", "keyword:<intent>",
// "first_contact", "survey_answered" and "journey:<journey>/<step>".
struct RuleConditions {
    std::vector<Stage> stages;         // empty: any stage
    std::vector<std::string> channels; // the channel the customer used (replies) or is reachable on
    bool opted_in = false;             // only customers who have not opted out
    bool cart_not_empty = false;
    bool no_purchase_since_anchor = false; // journeys: nothing bought since the journey began
};

// Whether a rule's template names a recommended product (choose_product_tip).
enum class ProductTip {
    none,     // it does not
    if_any,   // it does when one is in stock, and reads well without ("product_tip": "if_any")
    required, // it does, and the rule is skipped without one ("product_tip": true)
};

struct PlaybookRule {
    std::string id;
    std::string trigger;
    std::string template_id;
    std::string campaign;        // a voucher campaign to issue from, or empty
    std::string when_no_voucher; // template for when no code can be issued; empty: skip
    // Campaigns whose valid code the customer holds is offered instead of a new one: a
    // customer promised a win-back code who writes back (and so leaves dormant) keeps it.
    std::vector<std::string> offers_held;
    bool promotional = true; // false: a service message (confirmations, menus, shop info)
    ProductTip product_tip = ProductTip::none;
    bool answers_from_catalog = false; // the template answers a product question from the catalog
    std::string when_no_product;       // template for when the catalog has no answer; empty: skip
    bool once = false;                 // at most once per customer, ever
    int cooldown_hours = 0;            // at most once per customer in this many hours
    bool enabled = true;               // the shop can switch a rule off without deleting it
    int holdout_percent = 0;           // a control group kept from a promotion (bot/playbook/holdout.h)
    // 2 to 4 templates tried against each other, each customer getting one by weight; empty:
    // template_id for everyone (with variants, template_id is the first's).
    std::vector<store::TemplateVariant> variants = {};
    RuleConditions conditions;
};

struct JourneyStep {
    std::string id;
    std::int64_t after_ms = 0; // from the anchor
};

struct JourneyDefinition {
    std::string id;
    std::string start_on;             // a trigger, as for rules
    std::string anchor = "trigger";   // trigger | first_interaction | birthday
    std::vector<std::string> ends_on; // triggers that end it: its goal, e.g. "event:purchase"
    std::vector<JourneyStep> steps;   // in time order
    bool yearly = false;              // starts again a year after its anchor (birthdays)
    bool enabled = true;              // off: starts for nobody, and running ones send nothing more
    int holdout_percent = 0;          // a control group that gets none of its steps
};

struct Playbook {
    std::vector<PlaybookRule> rules;
    std::vector<JourneyDefinition> journeys;
};

// Reads {"rules":[…],"journeys":[…]}; throws common::InputRejected naming the JSON pointer of
// the first bad field.
Playbook parse_playbook(const nlohmann::json& document);
PlaybookRule parse_rule(const nlohmann::json& rule, const std::string& path);
JourneyDefinition parse_journey(const nlohmann::json& journey, const std::string& path);
// "variants": [{"template": id, "weight": 1-100 (default 1)}, …] with 2 to 4 entries. Whether
// each template exists is for the caller, which can see the shop's templates.
std::vector<store::TemplateVariant> parse_variants(const nlohmann::json& variants, const std::string& path);

// What the conditions are checked against.
struct CustomerSnapshot {
    Stage stage = Stage::new_lead;
    bool opted_out = false;
    bool cart_not_empty = false;
    std::optional<std::int64_t> last_order_at;
    std::vector<std::string> channels; // the event's channel, or the channels the customer is reachable on
};

bool conditions_hold(const RuleConditions& conditions, const CustomerSnapshot& customer,
                     std::optional<std::int64_t> anchor_at);

// Whether `rule` is one an occasion of `trigger` may choose: enabled, and for that trigger.
inline bool answers(const PlaybookRule& rule, const std::string& trigger) {
    return rule.enabled && rule.trigger == trigger;
}

// The first enabled rule for `trigger` whose conditions hold: rules for one trigger act like
// a switch, so a shop orders them from the most specific to the general.
const PlaybookRule* select_rule(const Playbook& playbook, const std::string& trigger, const CustomerSnapshot& customer,
                                std::optional<std::int64_t> anchor_at = std::nullopt);

// The rule whose cooldown an answer keeps when a rule falls back to `template_id` in its place
// ("when_no_product": "fallback"): the first enabled rule sending that template with a
// cooldown, or null. A shopper who asks two product questions the catalog cannot answer reads
// the fallback's paragraph once, as one who writes twice what pheu cannot answer does.
const PlaybookRule* cooldown_owner(const Playbook& playbook, const std::string& template_id);

// Where a journey stands: the step to send now (if any) and what comes after it.
struct JourneyProgress {
    std::optional<std::size_t> send_step;    // the step due now; earlier overdue steps are passed over
    std::size_t next_step = 0;               // index of the step after it
    std::optional<std::int64_t> next_due_at; // nullopt: no step left
    std::vector<std::size_t> late_steps;     // steps passed over: due before they could be sent
};

// Called when a journey is started at `now`: steps already past are passed over, so a
// journey anchored 120 days ago does not send its whole cadence at once.
JourneyProgress start_journey(const JourneyDefinition& journey, std::int64_t anchor_at, std::int64_t now);
// Called when the journey's next step is due: sends only the latest step that is due.
JourneyProgress advance_journey(const JourneyDefinition& journey, std::int64_t anchor_at, std::size_t next_step,
                                std::int64_t now);

} // namespace pheu::bot
