#include "bot/trigger.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace pheu::bot {

namespace {

constexpr std::string_view k_event = "event:";
constexpr std::string_view k_stage_entered = "stage_entered:";
constexpr std::string_view k_keyword = "keyword:";
constexpr std::string_view k_journey = "journey:";
constexpr std::string_view k_first_contact = "first_contact";
constexpr std::string_view k_survey_answered = "survey_answered";
constexpr std::string_view k_broadcast = "broadcast:";
constexpr std::string_view k_broadcast_test = "broadcast_test:";
constexpr std::string_view k_staff_reply = "staff_reply";

std::string joined(std::string_view prefix, std::string_view argument) {
    std::string text(prefix);
    text += argument;
    return text;
}

// The prefix a kind's text starts with; the whole text for kinds without an argument.
std::string_view prefix_of(TriggerKind kind) {
    switch (kind) {
    case TriggerKind::event:
        return k_event;
    case TriggerKind::stage_entered:
        return k_stage_entered;
    case TriggerKind::keyword:
        return k_keyword;
    case TriggerKind::journey_step:
        return k_journey;
    case TriggerKind::first_contact:
        return k_first_contact;
    case TriggerKind::survey_answered:
        return k_survey_answered;
    case TriggerKind::broadcast:
        return k_broadcast;
    case TriggerKind::broadcast_test:
        return k_broadcast_test;
    case TriggerKind::staff_reply:
        return k_staff_reply;
    }
    return {};
}

} // namespace

Trigger Trigger::event(std::string_view type) {
    return Trigger(TriggerKind::event, joined(k_event, type));
}

Trigger Trigger::stage_entered(Stage stage) {
    return Trigger(TriggerKind::stage_entered, joined(k_stage_entered, stage_id(stage)));
}

Trigger Trigger::keyword(std::string_view intent_id) {
    return Trigger(TriggerKind::keyword, joined(k_keyword, intent_id));
}

Trigger Trigger::first_contact() {
    return Trigger(TriggerKind::first_contact, std::string(k_first_contact));
}

Trigger Trigger::survey_answered() {
    return Trigger(TriggerKind::survey_answered, std::string(k_survey_answered));
}

Trigger Trigger::journey_step(std::string_view journey, std::string_view step) {
    std::string text = joined(k_journey, journey);
    text += '/';
    text += step;
    return Trigger(TriggerKind::journey_step, std::move(text));
}

Trigger Trigger::broadcast(std::int64_t broadcast_id) {
    return Trigger(TriggerKind::broadcast, joined(k_broadcast, std::to_string(broadcast_id)));
}

Trigger Trigger::staff_reply() {
    return Trigger(TriggerKind::staff_reply, std::string(k_staff_reply));
}

Trigger Trigger::broadcast_test(std::int64_t broadcast_id) {
    return Trigger(TriggerKind::broadcast_test, joined(k_broadcast_test, std::to_string(broadcast_id)));
}

std::optional<Trigger> Trigger::parse(std::string_view text) {
    if (text == k_first_contact) {
        return first_contact();
    }
    if (text == k_survey_answered) {
        return survey_answered();
    }
    if (text == k_staff_reply) {
        return staff_reply();
    }
    const auto after = [&](std::string_view prefix) -> std::optional<std::string_view> {
        if (text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix) {
            return text.substr(prefix.size());
        }
        return std::nullopt;
    };
    if (const auto type = after(k_event)) {
        return event(*type);
    }
    if (const auto intent = after(k_keyword)) {
        return keyword(*intent);
    }
    if (const auto stage = after(k_stage_entered)) {
        if (const auto known = parse_stage(*stage)) {
            return stage_entered(*known);
        }
        return std::nullopt;
    }
    const auto is_id = [](std::string_view id) {
        return id.size() <= 18 && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (const auto id = after(k_broadcast)) {
        return is_id(*id) ? std::optional(Trigger(TriggerKind::broadcast, std::string(text))) : std::nullopt;
    }
    if (const auto id = after(k_broadcast_test)) {
        return is_id(*id) ? std::optional(Trigger(TriggerKind::broadcast_test, std::string(text))) : std::nullopt;
    }
    if (const auto path = after(k_journey)) {
        // A journey's id holds no '/'; what follows the first one is the step's.
        if (const auto slash = path->find('/'); slash != std::string_view::npos) {
            return journey_step(path->substr(0, slash), path->substr(slash + 1));
        }
    }
    return std::nullopt;
}

std::string_view Trigger::argument() const {
    if (m_kind == TriggerKind::first_contact || m_kind == TriggerKind::survey_answered ||
        m_kind == TriggerKind::staff_reply) {
        return {};
    }
    return std::string_view(m_text).substr(prefix_of(m_kind).size());
}

MessagePurpose Trigger::purpose() const {
    constexpr std::array<std::string_view, 3> k_order_events = {"purchase", "order_cancelled", "shop_order"};
    constexpr std::array<std::string_view, 3> k_subscription_keywords = {"stop", "stop_unclear", "start"};
    const std::string_view what = argument();
    const auto among = [&](const auto& list) {
        for (std::string_view entry : list) {
            if (what == entry) {
                return true;
            }
        }
        return false;
    };
    if (m_kind == TriggerKind::event && among(k_order_events)) {
        return MessagePurpose::order_update;
    }
    if (m_kind == TriggerKind::keyword && among(k_subscription_keywords)) {
        return MessagePurpose::subscription_update;
    }
    return MessagePurpose::conversation;
}

MessagePurpose purpose_of_stored_trigger(std::string_view text) {
    const auto trigger = Trigger::parse(text);
    return trigger ? trigger->purpose() : MessagePurpose::conversation;
}

} // namespace pheu::bot
