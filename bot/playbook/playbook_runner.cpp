#include "bot/playbook/playbook_runner.h"

#include "bot/playbook/holdout.h"
#include "bot/playbook/intents.h"
#include "bot/playbook/short_links.h"
#include "common/birthday.h"
#include "common/json_fields.h"
#include "bot/playbook/messaging_settings.h"
#include "bot/customers/stage_engine.h"
#include "bot/voucher_code.h"
#include "store/settings_store.h"
#include "templates/builtin_pack.h"
#include "templates/mustache.h"
#include "templates/vn_format.h"

#include <spdlog/spdlog.h>

#include <limits>

namespace pheu::bot {

using nlohmann::json;

namespace {

constexpr std::int64_t k_hour_ms = 60LL * 60 * 1000;
// The longest a follow welcome waits for the follower's profile; it goes as soon as it came.
constexpr std::int64_t k_profile_wait_ms = 5'000;
// Birthday gifts go out in the morning, shop time.
constexpr int k_birthday_minute = 9 * 60;

// The idempotency key of the message a rule sends on an occasion: once per customer, once per
// cooldown window, or once per occasion (its discriminator); a question asked again has a key
// of its own, so it is asked again once.
std::string message_key(const PlaybookRule& rule, std::int64_t customer_id, const std::string& discriminator,
                        bool asks_again, std::int64_t now) {
    std::string key = "msg:" + std::to_string(customer_id) + ":" + rule.id + ":";
    if (rule.once) {
        key += "once";
    } else if (rule.cooldown_hours > 0) {
        key += "window-" + std::to_string(now / (rule.cooldown_hours * k_hour_ms));
    } else {
        key += discriminator;
    }
    if (asks_again) {
        key += ":again";
    }
    return key;
}

// A profile (Zalo's shared info, a form) that tells the customer's birthday.
bool gives_birthday(const InboundEvent& event) {
    if (event.kind == kind::info_submitted) {
        return !common::string_field(event.content, "birthday").empty();
    }
    return event.kind == "form_submitted" && event.content.contains("fields") && event.content["fields"].is_object() &&
           !common::string_field(event.content["fields"], "birthday").empty();
}

// Only a stage entered within the reply window runs its rules.
bool stage_entered_recently(const StageChange& change, std::int64_t now) {
    return now - change.at <= k_reply_window_ms;
}

// What the shopper said: a quick reply's or button's payload, else the text they typed.
std::string said_in(const InboundEvent& event) {
    if (event.kind == kind::message) {
        const std::string payload = common::string_field(event.content, "quick_reply_payload");
        return payload.empty() ? common::string_field(event.content, "text") : payload;
    }
    if (event.kind == kind::postback) {
        return common::string_field(event.content, "payload");
    }
    return {};
}

// What a message or button tap asks for. Zalo buttons send their payload back as the
// shopper's text, so text is read as a payload first ("VOUCHER"), then as words.
std::optional<Intent> intent_of(const InboundEvent& event) {
    if (event.kind != kind::message && event.kind != kind::postback) {
        return std::nullopt;
    }
    return intent_of_payload(said_in(event));
}

// Intents the welcome answers by itself: its menu says what the shopper can ask. Any other
// question on a first message gets its own answer instead of the welcome, never both.
bool welcome_answers(std::optional<Intent> intent) {
    return !intent || *intent == Intent::greeting || *intent == Intent::thanks || *intent == Intent::fallback ||
           *intent == Intent::help;
}

// How long pheu's question stays open: an answer within this long answers it.
constexpr std::int64_t k_opt_out_question_open_ms = 24 * k_hour_ms;
constexpr std::int64_t k_survey_open_ms = 14 * 24 * k_hour_ms;
constexpr std::int64_t k_order_request_open_ms = 24 * k_hour_ms;
// The templates whose question the next message may answer.
constexpr const char* k_opt_out_question_template = "opt_out_question";
constexpr const char* k_winback_survey_template = "winback";
constexpr const char* k_order_request_template = "order_request"; // answered with a phone number
constexpr const char* k_winback_survey = "winback";
// The line a first message's answer opens with, in place of a separate welcome.
constexpr const char* k_first_greeting_template = "first_greeting";

std::string event_trigger(const InboundEvent& event) {
    if (event.kind == "cart_updated") {
        const auto items = event.content.find("items");
        const bool empty = items == event.content.end() || !items->is_array() || items->empty();
        return Trigger::event(empty ? "cart_cleared" : "cart_updated").text();
    }
    return Trigger::event(event.kind).text();
}

// The next local 09:00 on the customer's birthday, at or after `now`.
std::optional<std::int64_t> next_birthday(const std::string& birthday, const common::ShopTime& clock,
                                          std::int64_t now) {
    const auto month_day = common::parse_birthday(birthday);
    if (!month_day) {
        return std::nullopt;
    }
    const int year = clock.local_date(now).year;
    for (int candidate = year; candidate <= year + 4; ++candidate) {
        common::LocalDate date{candidate, month_day->month, month_day->day};
        const bool leap = (candidate % 4 == 0 && candidate % 100 != 0) || candidate % 400 == 0;
        if (date.month == 2 && date.day == 29 && !leap) {
            date.day = 28;
        }
        const std::int64_t at = clock.utc_of(date, k_birthday_minute);
        if (at >= now) {
            return at;
        }
    }
    return std::nullopt;
}

} // namespace

PlaybookRunner::PlaybookRunner(store::sql::Connection& db, templates::TemplateCache& cache, RunnerOptions options)
    : m_settings_store(db), m_options(std::move(options)), m_clock(m_options.timezone),
      m_composer(db, cache, m_clock, ConfigReads::kept_until_reload), m_audience(db), m_customers(db), m_journeys(db),
      m_outbox(db), m_playbooks(db), m_vouchers(db, random_voucher_code), m_surveys(db), m_orders(db), m_links(db) {
    reload();
}

void PlaybookRunner::reload() {
    const std::int64_t version = m_playbooks.updated_at();
    if (version != m_playbook_version) {
        const auto stored = m_playbooks.get();
        try {
            m_playbook = parse_playbook(stored ? json::parse(*stored) : templates::builtin_pack().playbook);
        } catch (const std::exception& error) {
            // Stored playbooks are validated when saved; this keeps the last good one running.
            spdlog::error("playbook: the stored playbook is invalid and was not loaded: {}", error.what());
        }
        m_playbook_version = version;
        m_rule_triggers.clear();
        for (const auto& rule : m_playbook.rules) {
            m_rule_triggers.insert(rule.trigger);
        }
    }
    m_campaigns.clear();
    for (auto& campaign : m_vouchers.campaigns()) {
        std::string id = campaign.id;
        m_campaigns.emplace(std::move(id), std::move(campaign));
    }
    m_policy = load_send_policy(m_settings_store);
    m_prices = load_message_prices(m_settings_store);
    m_zalo_templates = m_settings_store.get_object(k_zalo_templates_key);
    m_composer.reload_shop();
}

void PlaybookRunner::note_stage_change(const StageChange& change) {
    m_pending_changes.push_back(change);
}

void PlaybookRunner::flush_stage_changes(std::int64_t now) {
    const std::vector<StageChange> changes = net_stage_changes(m_pending_changes);
    m_pending_changes.clear();
    for (const auto& change : changes) {
        if (change.from) {
            // Leaving a stage ends the journeys that entering it began.
            const std::string left = Trigger::stage_entered(*change.from).text();
            for (const auto& journey : m_playbook.journeys) {
                if (journey.start_on == left) {
                    m_journeys.end(change.customer_id, journey.id, std::string("left stage ") + stage_id(*change.from),
                                   now);
                }
            }
        }
        // A stage entered long ago by the events' own times (a backfilled history, a
        // backlog) is recorded, and its journeys and messages are left out: what they were
        // for has passed, and the customer may already be in a later stage.
        if (!stage_entered_recently(change, now)) {
            spdlog::debug("playbook: customer {} entered {} too long ago for its rules", change.customer_id,
                          stage_id(change.to));
            continue;
        }
        const std::string trigger = Trigger::stage_entered(change.to).text();
        fire(Occasion::unprompted(change.customer_id, trigger, std::to_string(change.at)), now);
        start_journeys_on(trigger, change.customer_id, change.at, now);
    }
}

void PlaybookRunner::on_event(const InboundEvent& event, const EventCustomer& customer, std::int64_t now) {
    const std::int64_t customer_id = customer.id;
    const std::string trigger = event_trigger(event);
    // The goal first: a purchase ends the journeys it completes before the stage it causes
    // starts new ones.
    end_journeys_on(trigger, customer_id, event.occurred_at_ms, now);
    if (event.kind == kind::echo) {
        handle_echo(event, customer_id);
    }
    const std::optional<Channel> chat_channel = chat_channel_of(event.source); // none for the shop's own events
    const bool profile_requested = event.kind == kind::follow && chat_channel == Channel::zalo && !m_options.sandbox &&
                                   fetch_follower_profile(event, customer_id, now);
    if (chat_channel == Channel::zalo && !event.customer.zalo_user_id.empty() &&
        !event.customer.zalo_app_user_id.empty()) {
        // An OA webhook naming both ids links a Mini App shopper: what waited goes out now.
        if (const int released =
                m_outbox.release_waiting_for_link(customer_id, event.account_id, event.customer.zalo_user_id, now);
            released > 0) {
            spdlog::info("playbook: customer {} is linked to an OA follower; {} waiting message(s) go out", customer_id,
                         released);
        }
    }
    const bool had_chat_contact = is_chat_contact(event) && customer.chatted_before;
    const std::string said = said_in(event);
    const bool fresh = now - event.occurred_at_ms <= k_reply_window_ms;
    const bool answered_survey = fresh && record_survey_answer(said, event, customer_id, now);
    const std::optional<Intent> intent =
        answered_survey ? std::nullopt : in_conversation(intent_of(event), said, customer_id, now);
    handle_intent(intent, event, customer_id, now);
    if (fresh && chat_channel) {
        // Before the reply is composed, which reads it with the customer: "sz 38" then "lấy 1
        // đôi" is not asked for the size.
        m_customers.note_told(customer_id,
                              {.size = mentions_size(said), .measurements = mentions_body_measurements(said)}, now);
    }

    if (fresh && event.interaction) {
        const bool chat = chat_channel.has_value();
        Occasion occasion = Occasion::unprompted(customer_id, trigger, event.dedupe_key);
        occasion.reply = chat && is_chat_contact(event);
        occasion.reply_channel = chat_channel;
        occasion.said = said;
        // The follow welcome greets by name: it waits (a few seconds at most) for Zalo's profile.
        occasion.awaits_profile = profile_requested;
        // One message, one answer. Messenger's "Get started" is a welcome of its own; a first
        // message that only greets (or says nothing pheu understands) gets the welcome, whose
        // menu answers it; a first message that asks something gets its answer, opening with
        // the shop's greeting.
        const bool first_contact =
            occasion.reply && event.kind != kind::follow && !had_chat_contact && intent != Intent::get_started;
        const bool welcome_instead = first_contact && welcome_answers(intent);
        if (welcome_instead) {
            Occasion first = occasion;
            first.trigger = Trigger::first_contact().text();
            fire(first, now);
        }
        fire(occasion, now);
        if (answered_survey) {
            Occasion answer = occasion;
            answer.trigger = Trigger::survey_answered().text();
            fire(answer, now);
        }
        if (intent && !welcome_instead) {
            Occasion keyword = occasion;
            // A playbook saved before an intent existed has no rule for it: the intent it was
            // split from answers, as it did then, else the fallback.
            std::optional<Intent> answering = intent;
            keyword.trigger = Trigger::keyword(intent_id(*answering)).text();
            while (m_rule_triggers.count(keyword.trigger) == 0 && (answering = answered_before_by(*answering))) {
                keyword.trigger = Trigger::keyword(intent_id(*answering)).text();
            }
            // A first message that asks: the answer opens with the shop's greeting, one reply.
            keyword.greets_first = first_contact;
            keyword.asks_again = *intent == Intent::stop_unclear && agrees_without_confirming(said);
            fire(keyword, now);
        }
    }
    start_journeys_on(trigger, customer_id, event.occurred_at_ms, now);
    if (gives_birthday(event)) {
        start_journeys_on(Trigger::event("birthday_known").text(), customer_id, event.occurred_at_ms, now);
    }
}

void PlaybookRunner::on_imported(const InboundEvent& event, std::int64_t customer_id, std::int64_t now) {
    // A birthday is still ahead of them: its journey waits for the day, like any customer's.
    if (gives_birthday(event)) {
        start_journeys_on(Trigger::event("birthday_known").text(), customer_id, event.occurred_at_ms, now);
    }
}

void PlaybookRunner::handle_intent(std::optional<Intent> intent, const InboundEvent& event, std::int64_t customer_id,
                                   std::int64_t now) {
    if (intent == Intent::stop && m_audience.set_opted_out(customer_id, true, event.occurred_at_ms)) {
        spdlog::info("playbook: customer {} opted out", customer_id);
        for (const auto& journey : m_journeys.active_of(customer_id)) {
            m_journeys.end(customer_id, journey.journey, "opted out", now);
        }
    } else if (intent == Intent::start && m_audience.set_opted_out(customer_id, false, event.occurred_at_ms)) {
        spdlog::info("playbook: customer {} opted back in", customer_id);
    }
}

std::optional<Intent> PlaybookRunner::in_conversation(std::optional<Intent> intent, const std::string& said,
                                                      std::int64_t customer_id, std::int64_t now) {
    if (!intent || *intent == Intent::stop) {
        return intent;
    }
    // "An, 0912 345 678, 12 Lê Lợi Q1" after "gửi shop giúp tên, số điện thoại, địa chỉ".
    if (mentions_phone_number(said)) {
        const auto asked_at = m_outbox.last_sent_at(customer_id, k_order_request_template);
        if (asked_at && now - *asked_at <= k_order_request_open_ms) {
            return Intent::order_details;
        }
    }
    // "có áo thun trắng không", "áo khoác đen": words pheu has no keyword for, but the names of
    // products the shop sells. Answered from the catalog, with price and stock.
    if (*intent == Intent::fallback && m_composer.names_catalog_products(said)) {
        return Intent::product_stock;
    }
    const bool may_confirm = *intent == Intent::stop_unclear || is_affirmation(said);
    const bool agrees = agrees_without_confirming(said);
    if (!may_confirm && !agrees) {
        return intent;
    }
    const auto asked_at = m_outbox.last_sent_at(customer_id, k_opt_out_question_template);
    if (!asked_at || now - *asked_at > k_opt_out_question_open_ms) {
        return intent;
    }
    // "Trả lời DỪNG để xác nhận": "dung", "dừng", "ok" all say yes. "Đúng rồi" seems to, but
    // never opts anyone out: the question is asked again, for a DỪNG.
    return may_confirm ? Intent::stop : Intent::stop_unclear;
}

bool PlaybookRunner::record_survey_answer(const std::string& said, const InboundEvent& event, std::int64_t customer_id,
                                          std::int64_t now) {
    const auto choice = choice_of_text(said);
    if (!choice) {
        return false;
    }
    const auto asked_at = m_outbox.last_sent_at(customer_id, k_winback_survey_template);
    if (!asked_at || now - *asked_at > k_survey_open_ms || event.occurred_at_ms < *asked_at) {
        return false;
    }
    m_surveys.record_answer(customer_id, k_winback_survey, *choice, event.occurred_at_ms);
    spdlog::info("playbook: customer {} answered the {} survey: {}", customer_id, k_winback_survey, *choice);
    return true;
}

void PlaybookRunner::handle_echo(const InboundEvent& event, std::int64_t customer_id) {
    // A person at the shop answered (Zalo's OA chat tool names its admin; a Messenger echo
    // pheu did not send carries no "pheu" metadata): stay out of their conversation.
    const bool by_staff = chat_channel_of(event.source) == Channel::zalo
                              ? !common::string_field(event.content, "admin_id").empty()
                              : common::string_field(event.content, "metadata").rfind("pheu", 0) != 0;
    if (by_staff) {
        m_audience.silence_until(customer_id, event.occurred_at_ms + m_policy.handoff_minutes * 60'000);
    }
}

bool PlaybookRunner::fetch_follower_profile(const InboundEvent& event, std::int64_t customer_id, std::int64_t now) {
    store::OutboxItem item;
    item.customer_id = customer_id;
    item.kind = store::OutboxKind::profile;
    item.channel = channel_id(Channel::zalo);
    item.account_id = event.account_id;
    item.recipient = event.customer.zalo_user_id;
    item.idempotency_key = "zalo_profile:" + event.account_id + ":" + event.customer.zalo_user_id;
    item.status = store::OutboxStatus::queued;
    item.trigger = Trigger::event(kind::follow).text();
    return m_outbox.enqueue(item, now);
}

json PlaybookRunner::zalo_template_for(const std::string& template_id, const json& context) const {
    auto mapping = m_zalo_templates.find(template_id);
    if (mapping == m_zalo_templates.end() || !mapping->is_object() ||
        mapping->value("template_id", std::string()).empty()) {
        return nullptr;
    }
    templates::RenderOptions plain;
    plain.escape_html = false;
    json data = json::object();
    const json parameters = mapping->value("data", json::object());
    for (const auto& [name, source] : parameters.items()) {
        try {
            data[name] =
                source.is_string() ? json(templates::render_source(source.get<std::string>(), context, plain)) : source;
        } catch (const std::exception& error) {
            spdlog::error("playbook: the Zalo template mapping of {} has a bad parameter {}: {}", template_id, name,
                          error.what());
            return nullptr;
        }
    }
    return {{"template_id", mapping->value("template_id", std::string())},
            {"via", mapping->value("via", std::string("uid"))},
            {"data", data}};
}

void PlaybookRunner::fire(const Occasion& occasion, std::int64_t now) {
    if (m_rule_triggers.count(occasion.trigger) == 0) {
        return; // most events (views, receipts) have no rule: no need to read the customer
    }
    // The keys of the messages this occasion may decide, one per rule of its trigger: which are
    // taken already is read with the customer, not in a statement of its own.
    std::vector<std::string> candidate_keys;
    for (const auto& candidate : m_playbook.rules) {
        if (answers(candidate, occasion.trigger)) {
            candidate_keys.push_back(
                message_key(candidate, occasion.customer_id, occasion.discriminator, occasion.asks_again, now));
            // And the key of the answer it may fall back to, when that one keeps a cooldown.
            for (const std::string* in_place : {&candidate.when_no_product, &candidate.when_no_voucher}) {
                if (const PlaybookRule* owner = cooldown_owner(m_playbook, *in_place)) {
                    candidate_keys.push_back(
                        message_key(*owner, occasion.customer_id, occasion.discriminator, false, now));
                }
            }
        }
    }
    const store::AudienceRow audience = m_audience.audience(
        occasion.customer_id, store::CapWindows{now - k_day_ms, now - 7 * k_day_ms}, candidate_keys);
    if (!audience.exists) {
        return;
    }
    CustomerSnapshot snapshot;
    snapshot.stage = parse_stage(audience.stage).value_or(Stage::new_lead);
    snapshot.opted_out = audience.opted_out;
    snapshot.cart_not_empty = audience.has_cart;
    snapshot.last_order_at = audience.last_order_at;
    const RecipientState recipient = recipient_state_of(audience);
    const SendRequest probe{.promotional = true, .reply = occasion.reply, .reply_channel = occasion.reply_channel};
    snapshot.channels = {channel_text(occasion.reply ? occasion.reply_channel : choose_channel(probe, recipient, now))};

    const PlaybookRule* rule = select_rule(m_playbook, occasion.trigger, snapshot, occasion.anchor_at);
    if (rule == nullptr) {
        return;
    }
    // A rule trying variants answers this customer with theirs, skips included, so that each
    // variant's results count what it was given.
    std::optional<PlaybookRule> varied;
    if (!rule->variants.empty()) {
        varied = *rule;
        varied->template_id =
            variant_template("rule:" + rule->id, occasion.customer_id, rule->variants, rule->template_id);
        rule = &*varied;
    }
    const std::string key = message_key(*rule, occasion.customer_id, occasion.discriminator, occasion.asks_again, now);
    if (audience.keys_used.contains(key)) {
        return;
    }
    if (occasion.late) {
        record_skip(occasion, *rule, key, std::nullopt, "late: the step was due before it could be sent", now);
        return;
    }
    if (const auto control = control_group_of(occasion, *rule);
        control && in_holdout(control->experiment, occasion.customer_id, control->percent)) {
        record_skip(occasion, *rule, key, std::nullopt, "held_out", now);
        return;
    }
    const SendRequest request{
        .promotional = rule->promotional, .reply = occasion.reply, .reply_channel = occasion.reply_channel};
    const SendDecision decision = decide_send(request, recipient, m_policy, m_clock, now);
    if (decision.action == SendAction::skip) {
        record_skip(occasion, *rule, key, decision.channel, decision.reason, now);
        return;
    }
    send(occasion, *rule, audience, recipient, decision, key, now);
}

void PlaybookRunner::send(const Occasion& occasion, const PlaybookRule& rule, const store::AudienceRow& audience,
                          const RecipientState& recipient, const SendDecision& decision, const std::string& key,
                          std::int64_t now, std::optional<BroadcastRoute> route) {
    std::string template_id = rule.template_id;
    // The message's key: the rule's, or, for an answer sent in place of the rule's own that keeps
    // a cooldown (the fallback's), that answer's, so that it goes once per its window whichever
    // rule sends it.
    std::string sent_key = key;
    const auto in_place_of_own = [&](const std::string& in_place) {
        template_id = in_place;
        const PlaybookRule* owner = cooldown_owner(m_playbook, in_place);
        if (owner == nullptr) {
            return true;
        }
        sent_key = message_key(*owner, occasion.customer_id, occasion.discriminator, false, now);
        if (audience.keys_used.contains(sent_key)) {
            record_skip(occasion, rule, key, decision.channel,
                        "repeat: the " + in_place + " answer went to this customer within the last " +
                            std::to_string(owner->cooldown_hours) + " hours",
                        now);
            return false;
        }
        return true;
    };
    std::optional<store::IssuedVoucher> voucher;
    for (const auto& campaign : rule.offers_held) {
        if ((voucher = m_vouchers.held(campaign, occasion.customer_id, now))) {
            break;
        }
    }
    if (!rule.campaign.empty() && !voucher) {
        const auto round_expiry = [this](std::int64_t expires_at) { return m_clock.next_local_time(expires_at, 0); };
        const auto campaign = m_campaigns.find(rule.campaign);
        const auto issued =
            campaign == m_campaigns.end()
                ? store::IssueResult{store::IssueOutcome::unknown_campaign, std::nullopt}
                : m_vouchers.issue(campaign->second, occasion.customer_id, audience.stage, now, round_expiry);
        voucher = issued.voucher;
        if (!voucher) {
            if (rule.when_no_voucher.empty()) {
                record_skip(occasion, rule, key, decision.channel,
                            std::string("no_voucher: ") + store::issue_outcome_id(issued.outcome), now);
                return;
            }
            if (!in_place_of_own(rule.when_no_voucher)) {
                return;
            }
        }
    }
    std::optional<CatalogProduct> product;
    if (rule.product_tip != ProductTip::none) {
        product = m_composer.product_tip(occasion.customer_id, now);
        if (!product && rule.product_tip == ProductTip::required) {
            record_skip(occasion, rule, key, decision.channel, "no_product: no product in stock to recommend", now);
            return;
        }
    }
    std::optional<json> answer;
    if (rule.answers_from_catalog) {
        answer = m_composer.catalog_answer(occasion.customer_id, occasion.said);
        if (!answer) {
            if (rule.when_no_product.empty()) {
                record_skip(occasion, rule, key, decision.channel, "no_product: the catalog has no such product", now);
                return;
            }
            if (!in_place_of_own(rule.when_no_product)) {
                return;
            }
        } else {
            // Asking about one product is looking at it: "còn size M không" next refers to it.
            if (const json& asked = (*answer)["products"]; asked.size() == 1) {
                m_orders.record_product_view(occasion.customer_id, asked[0].value("sku", std::string()), now);
            }
        }
    }
    auto context = m_composer.context(occasion.customer_id, voucher, product, now);
    if (context && answer) {
        (*context)["answer"] = std::move(*answer);
    }
    if (context) {
        // This message's own: the catalog knows a product's stock, not each size's or colour's.
        (*context)["message"]["names_size"] = mentions_size(occasion.said);
        (*context)["message"]["names_colour"] = asks_about_colour(occasion.said);
    }
    auto composed = m_composer.compose(template_id, *decision.channel, context.value_or(json::object()));
    if (auto* error = std::get_if<ComposeError>(&composed)) {
        spdlog::error("playbook: rule {} could not render: {}", rule.id, error->message);
        record_skip(occasion, rule, key, decision.channel, error->code + ": " + error->message, now);
        return;
    }
    auto& message = std::get<ComposedMessage>(composed);
    if (message.text.empty()) { // a shop's edit that renders nothing for this customer
        record_skip(occasion, rule, key, decision.channel, "empty_text: the template rendered nothing", now);
        return;
    }
    if (occasion.greets_first) {
        auto greeting =
            m_composer.compose(k_first_greeting_template, *decision.channel, context.value_or(json::object()));
        if (auto* line = std::get_if<ComposedMessage>(&greeting); line && !line->text.empty()) {
            message.text = templates::truncate_utf8(line->text + "\n" + message.text, k_max_text_characters);
        }
    }
    if (!m_options.public_base_url.empty()) {
        shorten_links(message, occasion, rule, key, *decision.channel, context.value_or(json::object()), now);
    }
    const auto& identity = decision.channel == Channel::zalo ? audience.zalo : audience.messenger;
    store::OutboxItem item;
    item.customer_id = occasion.customer_id;
    item.kind = store::OutboxKind::message;
    item.channel = channel_id(*decision.channel);
    item.account_id = identity ? identity->account_id : "";
    item.recipient = identity ? identity->external_id : "";
    item.idempotency_key = sent_key;
    item.trigger = occasion.trigger;
    item.template_id = template_id;
    item.text = message.text;
    if (voucher) {
        message.payload["voucher_code"] = voucher->code;
    }
    if (product) {
        message.payload["product_sku"] = product->sku;
    }
    if (decision.channel == Channel::zalo) {
        if (json fallback = zalo_template_for(template_id, context.value_or(json::object())); !fallback.is_null()) {
            message.payload["zalo_template"] = std::move(fallback);
            // A broadcast past Zalo's window, or to a customer known by phone alone, goes
            // straight by the template its route chose, not by a consultation message first.
            if (route == BroadcastRoute::zalo_template || route == BroadcastRoute::zns) {
                message.payload["zalo_route"] = broadcast_route_id(*route);
            }
        }
    }
    item.payload_json = message.payload.dump();
    item.promotional = rule.promotional;
    item.counts_toward_cap = decision.counts_toward_cap;
    // The sandbox shows what live would do with Zalo's 7-day window (a reply is always inside
    // it: the customer just wrote); the window only closes further while a message waits,
    // except for a Mini App shopper's, released by the OA event that links them.
    SandboxOutcome sandbox;
    const bool awaits_link =
        decision.action == SendAction::defer && decision.reason.rfind(k_waiting_for_oa_link, 0) == 0;
    if (m_options.sandbox && decision.channel == Channel::zalo && !occasion.reply && !awaits_link) {
        sandbox = sandbox_zalo_outcome(recipient, message.payload.contains("zalo_template"), now);
    }
    if (!sandbox.delivered) {
        item.status = store::OutboxStatus::skipped;
        item.reason = sandbox.reason;
    } else if (occasion.awaits_profile && decision.action == SendAction::send_now) {
        item.status = store::OutboxStatus::queued;
        item.reason = "waiting_for_profile: the follower's name is read from Zalo first";
        item.not_before = now + k_profile_wait_ms;
        message.payload["render_at_send"] = true;
        item.payload_json = message.payload.dump();
    } else if (decision.action == SendAction::defer) {
        item.status = store::OutboxStatus::queued;
        item.reason = decision.reason;
        item.not_before = decision.not_before;
    } else {
        item.status = m_options.sandbox ? store::OutboxStatus::sandboxed : store::OutboxStatus::queued;
        item.reason = sandbox.reason;
    }
    if (m_outbox.enqueue(item, now)) {
        spdlog::info("playbook: {} message for customer {} via {} ({}, template {})",
                     store::outbox_status_id(item.status), occasion.customer_id, item.channel, item.trigger,
                     template_id);
        // A message rendered again at sending would find its own note and leave the menu out.
        if (message.shows_menu && item.status != store::OutboxStatus::skipped &&
            !message.payload.contains("render_at_send")) {
            m_customers.note_menu_shown(occasion.customer_id, now);
        }
    }
}

std::optional<PlaybookRunner::ControlGroup> PlaybookRunner::control_group_of(const Occasion& occasion,
                                                                             const PlaybookRule& rule) const {
    // Nobody is held back from an answer to what they just said or did, nor from a service
    // message: only promotions the shop sends on its own have a control group.
    if (occasion.reply || !rule.promotional) {
        return std::nullopt;
    }
    const auto trigger = Trigger::parse(occasion.trigger);
    if (trigger && trigger->kind() == TriggerKind::journey_step) {
        // One group per journey: a customer held out gets none of its steps.
        const std::string_view path = trigger->argument();
        const std::string journey_id(path.substr(0, path.find('/')));
        for (const auto& journey : m_playbook.journeys) {
            if (journey.id == journey_id && journey.holdout_percent > 0) {
                return ControlGroup{.experiment = "journey:" + journey_id, .percent = journey.holdout_percent};
            }
        }
        return std::nullopt;
    }
    if (rule.holdout_percent > 0) {
        return ControlGroup{.experiment = "rule:" + rule.id, .percent = rule.holdout_percent};
    }
    return std::nullopt;
}

BroadcastDecision PlaybookRunner::send_broadcast(const BroadcastMessage& message, std::int64_t now) {
    const Trigger trigger =
        message.test ? Trigger::broadcast_test(message.broadcast_id) : Trigger::broadcast(message.broadcast_id);
    BroadcastDecision decided{.idempotency_key = trigger.text() + ":" + std::to_string(message.customer_id) +
                                                 (message.test ? ":" + std::to_string(now) : std::string())};
    const std::string& key = decided.idempotency_key;
    const store::AudienceRow audience = m_audience.audience(
        message.customer_id, store::CapWindows{now - k_day_ms, now - 7 * k_day_ms}, std::vector<std::string>{key});
    if (!audience.exists || audience.keys_used.contains(key)) {
        return decided;
    }
    const Occasion occasion = Occasion::unprompted(message.customer_id, trigger.text(), {});
    PlaybookRule rule;
    rule.id = trigger.text();
    rule.trigger = trigger.text();
    rule.template_id = message.template_id;
    rule.campaign = message.campaign;
    rule.product_tip = ProductTip::if_any; // a template the shop wrote may name a product tip
    if (!message.test && in_holdout(trigger.text(), message.customer_id, message.holdout_percent)) {
        record_skip(occasion, rule, key, std::nullopt, "held_out", now);
        return decided;
    }
    SendPolicySettings policy = m_policy;
    if (!message.respect_caps) {
        policy.daily_cap = policy.weekly_cap = std::numeric_limits<int>::max();
    }
    const RecipientState recipient = recipient_state_of(audience);
    const RouteFacts facts{.zalo_template = zalo_template_mapping(m_zalo_templates, message.template_id),
                           .has_phone = audience.has_phone};
    const auto route = cheapest_route(recipient, facts, m_prices, now);
    const SendRequest request{.promotional = true,
                              .routed_channel = route ? std::optional(route->channel) : std::nullopt};
    const SendDecision decision = decide_send(request, recipient, policy, m_clock, now);
    if (decision.action == SendAction::skip) {
        record_skip(occasion, rule, key, decision.channel, decision.reason, now);
        return decided;
    }
    if (!route) {
        record_skip(occasion, rule, key, decision.channel,
                    "no_channel: no platform takes a message to this customer now (Zalo past 7 days with no "
                    "template mapped, Messenger past 24 hours)",
                    now);
        return decided;
    }
    if (message.budget_left_vnd && route->cost_vnd > *message.budget_left_vnd) {
        record_skip(occasion, rule, key, route->channel,
                    "over_budget: the broadcast's budget has " + std::to_string(*message.budget_left_vnd) +
                        " VND left, this message costs " + std::to_string(route->cost_vnd),
                    now);
        return decided;
    }
    send(occasion, rule, audience, recipient, decision, key, now, route->route);
    decided.route = broadcast_route_id(route->route);
    decided.cost_vnd = route->cost_vnd;
    return decided;
}

void PlaybookRunner::shorten_links(ComposedMessage& message, const Occasion& occasion, const PlaybookRule& rule,
                                   const std::string& key, Channel channel, const json& context, std::int64_t now) {
    if (m_link_secret.empty()) {
        m_link_secret = m_links.secret();
    }
    // Only links the shop wrote (templates, buttons, its profile, the catalog) become short
    // links: one a shopper put in their own name is left as it is, so a redirect never leads
    // where the shop did not point.
    const auto of_shopper = links_in(context.value("customer", json::object()).dump());
    const std::set<std::string> shoppers(of_shopper.begin(), of_shopper.end());
    const auto trigger = Trigger::parse(occasion.trigger);
    const bool campaign_is_trigger =
        trigger && (trigger->kind() == TriggerKind::journey_step || trigger->kind() == TriggerKind::broadcast);
    const auto shorten = [&](const std::string& url) -> std::optional<std::string> {
        if (shoppers.contains(url)) {
            return std::nullopt;
        }
        const std::int64_t id =
            m_links.create(store::LinkRow{.url = url,
                                          .customer_id = occasion.customer_id,
                                          .message_key = key,
                                          .trigger = occasion.trigger,
                                          .campaign = campaign_is_trigger ? occasion.trigger : rule.id,
                                          .channel = channel_id(channel),
                                          .created_at = now});
        return m_options.public_base_url + "/r/" + link_token(id, m_link_secret);
    };
    message.text = replace_links(message.text, shorten);
    if (auto buttons = message.payload.find("buttons"); buttons != message.payload.end() && buttons->is_array()) {
        for (auto& button : *buttons) {
            if (button.is_object() && button.contains("url") && button["url"].is_string()) {
                button["url"] = replace_links(button["url"].get<std::string>(), shorten);
            }
        }
    }
}

void PlaybookRunner::record_skip(const Occasion& occasion, const PlaybookRule& rule, const std::string& key,
                                 std::optional<Channel> channel, const std::string& reason, std::int64_t now) {
    store::OutboxItem item;
    item.customer_id = occasion.customer_id;
    item.kind = store::OutboxKind::message;
    item.channel = channel_text(channel);
    item.idempotency_key = key;
    item.status = store::OutboxStatus::skipped;
    item.reason = reason;
    item.trigger = occasion.trigger;
    item.template_id = rule.template_id;
    item.promotional = rule.promotional;
    m_outbox.enqueue(item, now);
}

void PlaybookRunner::end_journeys_on(const std::string& trigger, std::int64_t customer_id, std::int64_t occurred_at,
                                     std::int64_t now) {
    for (const auto& journey : m_playbook.journeys) {
        if (std::find(journey.ends_on.begin(), journey.ends_on.end(), trigger) == journey.ends_on.end()) {
            continue;
        }
        // Only what happened after the journey began reaches its goal.
        if (auto row = m_journeys.get(customer_id, journey.id);
            row && row->state == "active" && occurred_at >= row->anchor_at) {
            m_journeys.end(customer_id, journey.id, trigger, now);
        }
    }
}

std::optional<std::int64_t> PlaybookRunner::anchor_for(const JourneyDefinition& journey, std::int64_t customer_id,
                                                       std::int64_t trigger_at, std::int64_t now) {
    if (journey.anchor == "trigger") {
        return trigger_at;
    }
    const auto audience = m_audience.audience(customer_id);
    if (journey.anchor == "first_interaction") {
        return audience.first_seen_at.value_or(trigger_at);
    }
    return next_birthday(audience.birthday, m_clock, now);
}

void PlaybookRunner::start_journeys_on(const std::string& trigger, std::int64_t customer_id, std::int64_t trigger_at,
                                       std::int64_t now) {
    for (const auto& journey : m_playbook.journeys) {
        if (journey.start_on != trigger || !journey.enabled) {
            continue;
        }
        if (const auto anchor = anchor_for(journey, customer_id, trigger_at, now)) {
            start_journey_at(journey, customer_id, *anchor, now);
        }
    }
}

void PlaybookRunner::start_journey_at(const JourneyDefinition& journey, std::int64_t customer_id,
                                      std::int64_t anchor_at, std::int64_t now) {
    const JourneyProgress progress = start_journey(journey, anchor_at, now);
    m_journeys.start(customer_id, journey.id, anchor_at, static_cast<std::int64_t>(progress.next_step),
                     progress.next_due_at, now);
    fire_journey_steps(journey, progress, customer_id, anchor_at, now);
}

void PlaybookRunner::fire_journey_steps(const JourneyDefinition& journey, const JourneyProgress& progress,
                                        std::int64_t customer_id, std::int64_t anchor_at, std::int64_t now) {
    const auto occasion_of = [&](std::size_t step) {
        Occasion occasion = Occasion::unprompted(
            customer_id, Trigger::journey_step(journey.id, journey.steps[step].id).text(), std::to_string(anchor_at));
        occasion.anchor_at = anchor_at;
        return occasion;
    };
    for (const std::size_t step : progress.late_steps) {
        Occasion late = occasion_of(step);
        late.late = true;
        fire(late, now);
    }
    if (progress.send_step) {
        fire(occasion_of(*progress.send_step), now);
    }
}

std::size_t PlaybookRunner::run_due_journeys(std::int64_t now, int limit) {
    const auto due = m_journeys.due(now, limit);
    for (const auto& row : due) {
        const auto definition =
            std::find_if(m_playbook.journeys.begin(), m_playbook.journeys.end(),
                         [&](const JourneyDefinition& journey) { return journey.id == row.journey; });
        if (definition == m_playbook.journeys.end()) {
            m_journeys.end(row.customer_id, row.journey, "journey removed from the playbook", now);
            continue;
        }
        if (!definition->enabled) {
            m_journeys.end(row.customer_id, row.journey, "journey switched off by the shop", now);
            continue;
        }
        const JourneyProgress progress =
            advance_journey(*definition, row.anchor_at, static_cast<std::size_t>(row.next_step), now);
        m_journeys.advance(row.customer_id, row.journey, static_cast<std::int64_t>(progress.next_step),
                           progress.next_due_at, now);
        fire_journey_steps(*definition, progress, row.customer_id, row.anchor_at, now);
        if (!progress.next_due_at && definition->yearly) {
            // Next year's occasion: anchored a moment later so this year's is not found again.
            if (const auto anchor = anchor_for(*definition, row.customer_id, now, now + 1)) {
                m_journeys.start(row.customer_id, row.journey, *anchor, 0, *anchor + definition->steps[0].after_ms,
                                 now);
            }
        }
    }
    return due.size();
}

} // namespace pheu::bot
