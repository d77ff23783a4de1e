#pragma once
// What starts a rule or a journey, and what each message in the outbox answered. The shop
// writes triggers as text in its playbook and the outbox keeps that text ("keyword:voucher",
// "journey:lead_cadence/day_1"); this is the one place that writes and reads it.
#include "bot/message_purpose.h"
#include "bot/stage.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pheu::bot {

enum class TriggerKind {
    event,           // "event:<type>": follow, purchase, cart_updated, cart_cleared, …
    stage_entered,   // "stage_entered:<stage>"
    keyword,         // "keyword:<intent>": what a shopper's message asked for
    first_contact,   // "first_contact": a shopper's first message
    survey_answered, // "survey_answered": a reply to the winback survey
    journey_step,    // "journey:<journey>/<step>"
    broadcast,       // "broadcast:<id>": the shop's send to a segment, never a rule's trigger
    broadcast_test,  // "broadcast_test:<id>": a broadcast tried on one customer, never counted in its results
    staff_reply,     // "staff_reply": a person at the shop answered from the console, never a rule's trigger
};

class Trigger {
public:
    static Trigger event(std::string_view type);
    static Trigger stage_entered(Stage stage);
    static Trigger keyword(std::string_view intent_id);
    static Trigger first_contact();
    static Trigger survey_answered();
    static Trigger journey_step(std::string_view journey, std::string_view step);
    static Trigger broadcast(std::int64_t broadcast_id);
    static Trigger broadcast_test(std::int64_t broadcast_id);
    static Trigger staff_reply();
    // nullopt for text that is no trigger. The form only: whether a keyword's intent exists is
    // the playbook's check (bot/playbook/intents.h); a stage must be one of the four.
    static std::optional<Trigger> parse(std::string_view text);

    TriggerKind kind() const { return m_kind; }
    // The event type, stage id, intent id, "<journey>/<step>" or broadcast id; empty for the others.
    std::string_view argument() const;
    // As the playbook and the outbox write it.
    const std::string& text() const { return m_text; }
    // What a message it sends is for, which decides the Messenger tag it may go out with: an
    // order's own events bring order updates, the shopper's stop and start keywords (and the
    // question whether they meant stop) subscription updates, everything else conversation.
    MessagePurpose purpose() const;

    bool operator==(const Trigger& other) const { return m_text == other.m_text; }

private:
    Trigger(TriggerKind kind, std::string text) : m_kind(kind), m_text(std::move(text)) {}

    TriggerKind m_kind;
    std::string m_text;
};

// The purpose of a message by the trigger text stored with it; conversation for text that is
// no trigger (a row written by an older pheu).
MessagePurpose purpose_of_stored_trigger(std::string_view text);

} // namespace pheu::bot
