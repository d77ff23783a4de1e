#pragma once
// Runs the shop's playbook inside the worker's and the scheduler's transactions: turns
// events, stage changes and due journey steps into triggers, picks the rule for each
// (pure: select_rule), checks the send policy (pure: decide_send), issues the voucher,
// renders the template, and records the message in the outbox with an idempotency key of
// (customer, rule, occasion), so nothing is ever decided twice.
#include "bot/inbound_event.h"
#include "bot/playbook/broadcast_route.h"
#include "bot/playbook/intents.h"
#include "bot/playbook/message_composer.h"
#include "bot/playbook/playbook.h"
#include "bot/playbook/send_policy.h"
#include "common/shop_time.h"
#include "bot/customers/event_applier.h"
#include "bot/customers/stage_keeper.h"

#include "store/sql/connection.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/audience_store.h"
#include "store/customer_store.h"
#include "store/journey_store.h"
#include "store/link_store.h"
#include "store/outbox_store.h"
#include "store/order_store.h"
#include "store/playbook_store.h"
#include "store/settings_store.h"
#include "store/survey_store.h"
#include "store/voucher_store.h"

namespace pheu::bot {

// Events older than this when processed get no conversational reply: the platforms' reply
// windows are closed (docs/decisions.md).
inline constexpr std::int64_t k_reply_window_ms = 7LL * 24 * 60 * 60 * 1000;

// One customer of a broadcast (bot/worker/broadcast_sender.h): the message the shop asked for.
struct BroadcastMessage {
    std::int64_t broadcast_id = 0;
    std::int64_t customer_id = 0;
    std::string template_id;
    std::string campaign = {}; // a voucher campaign the customer gets a code of
    int holdout_percent = 0;
    bool respect_caps = true;
    std::optional<std::int64_t> budget_left_vnd = std::nullopt; // none: no budget
    // A try on one customer, for the shop to see it: its own trigger (never in the results)
    // and a key of its own each time; no control group, caps or budget.
    bool test = false;
};

// What became of it: the message's key, and the route and price of one written to be sent
// (empty and 0 for one skipped or held out, or decided before).
struct BroadcastDecision {
    std::string idempotency_key;
    std::string route = {};
    std::int64_t cost_vnd = 0;
};

struct RunnerOptions {
    bool sandbox = true; // record messages as sandboxed instead of queueing them for delivery
    std::string timezone = "Asia/Ho_Chi_Minh";
    // "https://shop.example": links in messages become <public_base_url>/r/<token>; empty:
    // links are sent as written.
    std::string public_base_url = {};
};

class PlaybookRunner {
public:
    PlaybookRunner(store::sql::Connection& db, templates::TemplateCache& cache, RunnerOptions options);

    // Re-reads the playbook (when it changed), the voucher campaigns, the send policy and the
    // shop profile: the pipeline calls it when the shop's configuration version moved.
    void reload();

    // Stage changes arrive while events are applied; flush_stage_changes, at the end of the
    // worker's batch (after the events ended the journeys they reach the goal of), runs the
    // rules of each customer's net change only (net_stage_changes).
    void note_stage_change(const StageChange& change);
    void on_event(const InboundEvent& event, const EventCustomer& customer, std::int64_t now);
    void flush_stage_changes(std::int64_t now);
    // The changes noted so far, and forgetting those after a mark: an event rolled back or
    // imported leaves no change to act on.
    std::size_t noted_stage_changes() const { return m_pending_changes.size(); }
    void forget_stage_changes_after(std::size_t mark) {
        m_pending_changes.resize(std::min(mark, m_pending_changes.size()));
    }
    // An imported row of the shop's history: nothing is sent, and only journeys still ahead (a
    // birthday) are started; the worker forgets its stage changes.
    void on_imported(const InboundEvent& event, std::int64_t customer_id, std::int64_t now);

    // A broadcast's message to one customer, once: held out (skipped, reason held_out) for its
    // control group, else under the send policy (caps unless the broadcast says otherwise),
    // on the cheapest route open now and within what is left of its budget.
    BroadcastDecision send_broadcast(const BroadcastMessage& message, std::int64_t now);

    // Sends the journey steps due at `now`; returns how many journeys were looked at.
    std::size_t run_due_journeys(std::int64_t now, int limit);

    const Playbook& playbook() const { return m_playbook; }

private:
    struct Occasion {
        std::int64_t customer_id = 0;
        std::string trigger;
        std::string discriminator; // what makes this occasion unique for the customer
        bool reply = false;
        std::optional<Channel> reply_channel;
        std::optional<std::int64_t> anchor_at;
        std::string said;            // what the shopper wrote, for answers that read it (product questions)
        bool late = false;           // a journey step due before it could be sent: recorded skipped, never sent
        bool awaits_profile = false; // a new follower's welcome: rendered again once Zalo gave their name
        bool greets_first = false;   // the answer to a first message: opens with the shop's greeting
        bool asks_again = false;     // the question of an open window once more ("Đúng rồi" to "stop?")

        // An occasion that is no reply to a message (a stage change, a journey step); the
        // fields of a reply are set by the caller.
        static Occasion unprompted(std::int64_t customer_id, std::string trigger, std::string discriminator) {
            Occasion occasion;
            occasion.customer_id = customer_id;
            occasion.trigger = std::move(trigger);
            occasion.discriminator = std::move(discriminator);
            return occasion;
        }
    };

    struct ControlGroup {
        std::string experiment; // "rule:<id>" or "journey:<id>"
        int percent = 0;
    };
    // The control group a message of this rule on this occasion may be held back for.
    std::optional<ControlGroup> control_group_of(const Occasion& occasion, const PlaybookRule& rule) const;
    void fire(const Occasion& occasion, std::int64_t now);
    // The rule's message on the channel decided: its voucher, product tip or catalog answer,
    // rendered, and written to the outbox (or recorded skipped, with why).
    // `route`: the one a broadcast chose (bot/playbook/broadcast_route.h); none for rules.
    void send(const Occasion& occasion, const PlaybookRule& rule, const store::AudienceRow& audience,
              const RecipientState& recipient, const SendDecision& decision, const std::string& key, std::int64_t now,
              std::optional<BroadcastRoute> route = std::nullopt);
    // Replaces the links the shop wrote in the message's text and buttons by short links.
    void shorten_links(ComposedMessage& message, const Occasion& occasion, const PlaybookRule& rule,
                       const std::string& key, Channel channel, const nlohmann::json& context, std::int64_t now);
    void record_skip(const Occasion& occasion, const PlaybookRule& rule, const std::string& key,
                     std::optional<Channel> channel, const std::string& reason, std::int64_t now);
    void handle_intent(std::optional<Intent> intent, const InboundEvent& event, std::int64_t customer_id,
                       std::int64_t now);
    // What a message means given what pheu last asked this customer and what the shop sells:
    // a yes to "stop receiving messages?" opts out; "1"-"9" after the winback survey is its
    // answer; a phone number after pheu asked for an order's details gives them; a message
    // without a keyword that names catalog products asks about them.
    std::optional<Intent> in_conversation(std::optional<Intent> intent, const std::string& said,
                                          std::int64_t customer_id, std::int64_t now);
    bool record_survey_answer(const std::string& said, const InboundEvent& event, std::int64_t customer_id,
                              std::int64_t now);
    void handle_echo(const InboundEvent& event, std::int64_t customer_id);
    // Live transport: a new Zalo follower's display name and avatar are read once.
    // Returns true when the read was queued now (a follower seen for the first time).
    bool fetch_follower_profile(const InboundEvent& event, std::int64_t customer_id, std::int64_t now);
    // The shop's Zalo template (ZBS by user id, or ZNS) for a message outside the 7-day
    // window, with its parameters rendered now; null when the shop mapped none.
    nlohmann::json zalo_template_for(const std::string& template_id, const nlohmann::json& context) const;
    void end_journeys_on(const std::string& trigger, std::int64_t customer_id, std::int64_t occurred_at,
                         std::int64_t now);
    void start_journeys_on(const std::string& trigger, std::int64_t customer_id, std::int64_t trigger_at,
                           std::int64_t now);
    void start_journey_at(const JourneyDefinition& journey, std::int64_t customer_id, std::int64_t anchor_at,
                          std::int64_t now);
    // Fires the step to send now and records the steps passed over as skipped, reason "late".
    void fire_journey_steps(const JourneyDefinition& journey, const JourneyProgress& progress, std::int64_t customer_id,
                            std::int64_t anchor_at, std::int64_t now);
    std::optional<std::int64_t> anchor_for(const JourneyDefinition& journey, std::int64_t customer_id,
                                           std::int64_t trigger_at, std::int64_t now);

    store::SettingsStore m_settings_store; // read again on every reload
    RunnerOptions m_options;
    common::ShopTime m_clock;
    MessageComposer m_composer;
    store::AudienceStore m_audience;
    store::CustomerStore m_customers;
    store::JourneyStore m_journeys;
    store::OutboxStore m_outbox;
    store::PlaybookStore m_playbooks;
    store::VoucherStore m_vouchers;
    store::SurveyStore m_surveys;
    store::OrderStore m_orders;
    store::LinkStore m_links;
    std::string m_link_secret; // read once
    Playbook m_playbook;
    std::int64_t m_playbook_version = -1;
    std::set<std::string> m_rule_triggers;                     // every trigger some rule answers
    std::map<std::string, store::VoucherCampaign> m_campaigns; // by id, read on reload
    SendPolicySettings m_policy;
    MessagePrices m_prices;
    nlohmann::json m_zalo_templates = nlohmann::json::object();
    std::vector<StageChange> m_pending_changes;
};

} // namespace pheu::bot
