#include "bot/playbook/playbook.h"

#include "bot/playbook/intents.h"

#include <algorithm>

namespace pheu::bot {

using nlohmann::json;

namespace {

constexpr std::int64_t k_hour_ms = 60LL * 60 * 1000;

// Stops at the first bad field of the document.
[[noreturn]] void reject(const std::string& path, const std::string& message) {
    throw common::InputRejected({.message = message, .path = path});
}

void check_trigger(const std::string& trigger, const std::string& path) {
    const auto parsed = Trigger::parse(trigger);
    if (parsed && parsed->kind() == TriggerKind::keyword && !parse_intent(parsed->argument())) {
        reject(path, "unknown intent in \"" + trigger + "\"");
    }
    if (parsed && (parsed->kind() == TriggerKind::broadcast || parsed->kind() == TriggerKind::broadcast_test)) {
        reject(path, "\"" + trigger + "\" is a broadcast's: a broadcast is sent from the broadcasts, not by a rule");
    }
    if (parsed && parsed->kind() == TriggerKind::staff_reply) {
        reject(path, "\"staff_reply\" is a person's answer from the console, not a rule's trigger");
    }
    if (parsed) {
        return;
    }
    if (trigger.rfind("stage_entered:", 0) == 0) {
        reject(path, "unknown stage in \"" + trigger + "\"");
    }
    reject(path, "\"" + trigger +
                     "\" is not a trigger (stage_entered:<stage>, event:<type>, keyword:<intent>, "
                     "first_contact, survey_answered, journey:<journey>/<step>)");
}

std::string required_string(const json& object, const char* key, const std::string& path) {
    auto found = object.find(key);
    if (found == object.end() || !found->is_string() || found->get<std::string>().empty()) {
        reject(path + "/" + key, "must be a non-empty string");
    }
    return found->get<std::string>();
}

std::string optional_string(const json& object, const char* key, const std::string& path) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return {};
    }
    if (!found->is_string()) {
        reject(path + "/" + key, "must be a string");
    }
    return found->get<std::string>();
}

bool optional_bool(const json& object, const char* key, bool fallback, const std::string& path) {
    auto found = object.find(key);
    if (found == object.end()) {
        return fallback;
    }
    if (!found->is_boolean()) {
        reject(path + "/" + key, "must be true or false");
    }
    return found->get<bool>();
}

ProductTip product_tip_of(const json& rule, const std::string& path) {
    const auto found = rule.find("product_tip");
    if (found == rule.end() || (found->is_boolean() && !found->get<bool>())) {
        return ProductTip::none;
    }
    if (found->is_boolean()) {
        return ProductTip::required;
    }
    if (found->is_string() && found->get<std::string>() == "if_any") {
        return ProductTip::if_any;
    }
    reject(path + "/product_tip", "must be true, false or \"if_any\"");
}

std::vector<std::string> string_list(const json& object, const char* key, const std::string& path) {
    std::vector<std::string> values;
    auto found = object.find(key);
    if (found == object.end()) {
        return values;
    }
    if (!found->is_array()) {
        reject(path + "/" + key, "must be an array of strings");
    }
    for (std::size_t i = 0; i < found->size(); ++i) {
        if (!(*found)[i].is_string()) {
            reject(path + "/" + key + "/" + std::to_string(i), "must be a string");
        }
        values.push_back((*found)[i].get<std::string>());
    }
    return values;
}

RuleConditions parse_conditions(const json& object, const std::string& path) {
    RuleConditions conditions;
    if (!object.is_object()) {
        reject(path, "must be an object");
    }
    const auto stages = string_list(object, "stages", path);
    for (std::size_t i = 0; i < stages.size(); ++i) {
        auto stage = parse_stage(stages[i]);
        if (!stage) {
            reject(path + "/stages/" + std::to_string(i), "unknown stage \"" + stages[i] + "\"");
        }
        conditions.stages.push_back(*stage);
    }
    conditions.channels = string_list(object, "channels", path);
    conditions.opted_in = optional_bool(object, "opted_in", false, path);
    conditions.cart_not_empty = optional_bool(object, "cart_not_empty", false, path);
    conditions.no_purchase_since_anchor = optional_bool(object, "no_purchase_since_anchor", false, path);
    return conditions;
}

std::int64_t step_offset_ms(const json& step, const std::string& path) {
    std::int64_t offset = 0;
    bool given = false;
    for (const auto& [key, unit] : {std::pair{"after_days", 24 * k_hour_ms}, std::pair{"after_hours", k_hour_ms}}) {
        if (auto found = step.find(key); found != step.end()) {
            if (!found->is_number_integer() || found->get<std::int64_t>() < 0) {
                reject(path + "/" + key, "must be a whole number, 0 or more");
            }
            offset += found->get<std::int64_t>() * unit;
            given = true;
        }
    }
    if (!given) {
        reject(path, "a step needs after_days or after_hours");
    }
    return offset;
}

} // namespace

// "holdout_percent": the share of customers kept as a control group, 0 to 50.
int holdout_percent_of(const json& item, const std::string& path) {
    const auto found = item.find("holdout_percent");
    if (found == item.end()) {
        return 0;
    }
    if (!found->is_number_integer() || found->get<std::int64_t>() < 0 || found->get<std::int64_t>() > 50) {
        reject(path + "/holdout_percent", "must be a whole number from 0 to 50");
    }
    return found->get<int>();
}

std::vector<store::TemplateVariant> parse_variants(const json& variants, const std::string& path) {
    if (!variants.is_array() || variants.size() < 2 || variants.size() > 4) {
        reject(path, "variants must list 2 to 4 templates to try against each other");
    }
    std::vector<store::TemplateVariant> parsed;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const json& variant = variants[i];
        const std::string at = path + "/" + std::to_string(i);
        if (!variant.is_object()) {
            reject(at, "must be an object with a template and a weight");
        }
        const std::string template_id = required_string(variant, "template", at);
        const json weight = variant.value("weight", json(1));
        if (!weight.is_number_integer() || weight.get<std::int64_t>() < 1 || weight.get<std::int64_t>() > 100) {
            reject(at + "/weight", "a variant's weight is a whole number from 1 to 100");
        }
        parsed.push_back(store::TemplateVariant{.template_id = template_id, .weight = weight.get<int>()});
    }
    return parsed;
}

PlaybookRule parse_rule(const json& rule, const std::string& path) {
    if (!rule.is_object()) {
        reject(path, "must be an object");
    }
    PlaybookRule parsed;
    parsed.id = required_string(rule, "id", path);
    parsed.trigger = required_string(rule, "trigger", path);
    check_trigger(parsed.trigger, path + "/trigger");
    if (const auto variants = rule.find("variants"); variants != rule.end() && !variants->is_null()) {
        parsed.variants = parse_variants(*variants, path + "/variants");
    }
    parsed.template_id = parsed.variants.empty() || rule.contains("template") ? required_string(rule, "template", path)
                                                                              : parsed.variants.front().template_id;
    parsed.campaign = optional_string(rule, "campaign", path);
    parsed.when_no_voucher = optional_string(rule, "when_no_voucher", path);
    parsed.offers_held = string_list(rule, "offers_held", path);
    parsed.promotional = optional_bool(rule, "promotional", true, path);
    parsed.product_tip = product_tip_of(rule, path);
    parsed.answers_from_catalog = optional_bool(rule, "answers_from_catalog", false, path);
    parsed.when_no_product = optional_string(rule, "when_no_product", path);
    parsed.once = optional_bool(rule, "once", false, path);
    parsed.enabled = optional_bool(rule, "enabled", true, path);
    if (auto cooldown = rule.find("cooldown_hours"); cooldown != rule.end()) {
        if (!cooldown->is_number_integer() || cooldown->get<int>() < 0) {
            reject(path + "/cooldown_hours", "must be a whole number, 0 or more");
        }
        parsed.cooldown_hours = cooldown->get<int>();
    }
    if (auto conditions = rule.find("conditions"); conditions != rule.end()) {
        parsed.conditions = parse_conditions(*conditions, path + "/conditions");
    }
    parsed.holdout_percent = holdout_percent_of(rule, path);
    if (parsed.holdout_percent > 0 && !parsed.promotional) {
        reject(path + "/holdout_percent", "a service message (promotional: false) is never held back from anyone");
    }
    return parsed;
}

JourneyDefinition parse_journey(const json& journey, const std::string& path) {
    if (!journey.is_object()) {
        reject(path, "must be an object");
    }
    JourneyDefinition parsed;
    parsed.id = required_string(journey, "id", path);
    if (parsed.id.find('/') != std::string::npos) {
        reject(path + "/id", "must not contain '/'");
    }
    parsed.start_on = required_string(journey, "start_on", path);
    check_trigger(parsed.start_on, path + "/start_on");
    parsed.anchor = optional_string(journey, "anchor", path);
    if (parsed.anchor.empty()) {
        parsed.anchor = "trigger";
    }
    if (parsed.anchor != "trigger" && parsed.anchor != "first_interaction" && parsed.anchor != "birthday") {
        reject(path + "/anchor", "must be trigger, first_interaction or birthday");
    }
    parsed.ends_on = string_list(journey, "ends_on", path);
    for (std::size_t i = 0; i < parsed.ends_on.size(); ++i) {
        check_trigger(parsed.ends_on[i], path + "/ends_on/" + std::to_string(i));
    }
    parsed.yearly = optional_bool(journey, "yearly", false, path);
    parsed.enabled = optional_bool(journey, "enabled", true, path);
    parsed.holdout_percent = holdout_percent_of(journey, path);
    auto steps = journey.find("steps");
    if (steps == journey.end() || !steps->is_array() || steps->empty()) {
        reject(path + "/steps", "must be a non-empty array");
    }
    for (std::size_t i = 0; i < steps->size(); ++i) {
        const std::string step_path = path + "/steps/" + std::to_string(i);
        const json& step = (*steps)[i];
        if (!step.is_object()) {
            reject(step_path, "must be an object");
        }
        JourneyStep parsed_step{required_string(step, "id", step_path), step_offset_ms(step, step_path)};
        if (!parsed.steps.empty() && parsed_step.after_ms < parsed.steps.back().after_ms) {
            reject(step_path, "steps must be in time order");
        }
        parsed.steps.push_back(std::move(parsed_step));
    }
    return parsed;
}

Playbook parse_playbook(const json& document) {
    if (!document.is_object()) {
        reject("", "a playbook is an object with rules and journeys");
    }
    Playbook playbook;
    auto list = [&](const char* key) -> const json& {
        static const json empty = json::array();
        auto found = document.find(key);
        if (found == document.end()) {
            return empty;
        }
        if (!found->is_array()) {
            reject(std::string("/") + key, "must be an array");
        }
        return *found;
    };
    const json& rules = list("rules");
    for (std::size_t i = 0; i < rules.size(); ++i) {
        playbook.rules.push_back(parse_rule(rules[i], "/rules/" + std::to_string(i)));
    }
    const json& journeys = list("journeys");
    for (std::size_t i = 0; i < journeys.size(); ++i) {
        playbook.journeys.push_back(parse_journey(journeys[i], "/journeys/" + std::to_string(i)));
    }
    return playbook;
}

bool conditions_hold(const RuleConditions& conditions, const CustomerSnapshot& customer,
                     std::optional<std::int64_t> anchor_at) {
    if (!conditions.stages.empty() &&
        std::find(conditions.stages.begin(), conditions.stages.end(), customer.stage) == conditions.stages.end()) {
        return false;
    }
    if (!conditions.channels.empty()) {
        const bool any =
            std::any_of(customer.channels.begin(), customer.channels.end(), [&](const std::string& channel) {
                return std::find(conditions.channels.begin(), conditions.channels.end(), channel) !=
                       conditions.channels.end();
            });
        if (!any) {
            return false;
        }
    }
    if (conditions.opted_in && customer.opted_out) {
        return false;
    }
    if (conditions.cart_not_empty && !customer.cart_not_empty) {
        return false;
    }
    if (conditions.no_purchase_since_anchor && anchor_at && customer.last_order_at &&
        *customer.last_order_at >= *anchor_at) {
        return false;
    }
    return true;
}

const PlaybookRule* select_rule(const Playbook& playbook, const std::string& trigger, const CustomerSnapshot& customer,
                                std::optional<std::int64_t> anchor_at) {
    for (const auto& rule : playbook.rules) {
        if (answers(rule, trigger) && conditions_hold(rule.conditions, customer, anchor_at)) {
            return &rule;
        }
    }
    return nullptr;
}

const PlaybookRule* cooldown_owner(const Playbook& playbook, const std::string& template_id) {
    if (template_id.empty()) {
        return nullptr; // no answer in place (the runner asks for every rule of a trigger)
    }
    for (const auto& rule : playbook.rules) {
        if (rule.enabled && rule.cooldown_hours > 0 && rule.template_id == template_id) {
            return &rule;
        }
    }
    return nullptr;
}

namespace {

// From `from` on: the latest step due at `now` and the step after it.
JourneyProgress progress_from(const JourneyDefinition& journey, std::int64_t anchor_at, std::size_t from,
                              std::int64_t now) {
    JourneyProgress progress;
    std::size_t next = from;
    while (next < journey.steps.size() && anchor_at + journey.steps[next].after_ms <= now) {
        if (progress.send_step) {
            progress.late_steps.push_back(*progress.send_step);
        }
        progress.send_step = next;
        ++next;
    }
    progress.next_step = next;
    if (next < journey.steps.size()) {
        progress.next_due_at = anchor_at + journey.steps[next].after_ms;
    }
    return progress;
}

} // namespace

JourneyProgress start_journey(const JourneyDefinition& journey, std::int64_t anchor_at, std::int64_t now) {
    JourneyProgress progress = progress_from(journey, anchor_at, 0, now);
    // A step due exactly at the start (after 0 days) is sent; steps already past are not.
    if (progress.send_step && anchor_at + journey.steps[*progress.send_step].after_ms < now) {
        progress.late_steps.push_back(*progress.send_step);
        progress.send_step.reset();
    }
    return progress;
}

JourneyProgress advance_journey(const JourneyDefinition& journey, std::int64_t anchor_at, std::size_t next_step,
                                std::int64_t now) {
    return progress_from(journey, anchor_at, next_step, now);
}

} // namespace pheu::bot
