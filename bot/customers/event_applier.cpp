#include "bot/customers/event_applier.h"

#include <spdlog/spdlog.h>

#include "common/json_fields.h"
#include "bot/customers/stage_keeper.h"
#include "bot/voucher_code.h"

#include <algorithm>

namespace pheu::bot {

using nlohmann::json;

std::vector<std::pair<std::string, std::string>> identities_of(const CustomerRef& customer) {
    std::vector<std::pair<std::string, std::string>> identities;
    auto add = [&](const char* channel, const std::string& id) {
        if (!id.empty()) {
            identities.emplace_back(channel, id);
        }
    };
    add("zalo", customer.zalo_user_id);
    add("zalo_app", customer.zalo_app_user_id);
    add("messenger", customer.messenger_psid);
    add("external", customer.external_id);
    add("phone", customer.phone);
    add("zalo_anonymous", customer.zalo_anonymous_id);
    return identities;
}

EventApplier::EventApplier(store::sql::Connection& db, StageKeeper& stages)
    : m_customers(db), m_orders(db), m_audience(db), m_catalog(db), m_vouchers(db, nullptr), m_stages(stages) {}

std::optional<EventCustomer> EventApplier::apply(const InboundEvent& event, std::int64_t now_ms) {
    if (event.kind == kind::tag_changed) {
        apply_zalo_tags(event);
        return std::nullopt; // staff filing followers: nothing a shopper did, nothing to answer
    }
    if (event.customer.empty()) {
        return std::nullopt;
    }
    const EventCustomer customer = resolve_customer(event, now_ms);
    record_facts(customer.id, event, now_ms);
    // The interaction is recorded with the stage check (one write for both).
    m_stages.refresh(customer.id, now_ms,
                     StageCause{.occurred_at = event.occurred_at_ms, .interaction = event.interaction});
    return customer;
}

EventCustomer EventApplier::resolve_customer(const InboundEvent& event, std::int64_t now_ms) {
    const auto identities = identities_of(event.customer);
    std::vector<std::int64_t> known;
    std::vector<std::string> proof; // which channels named the customers found, for the merge record
    std::vector<bool> stored(identities.size(), false);
    std::optional<bool> chatted_before; // as the touched identity's customer stood
    // Where a customer last wrote decides where to answer them, and whether the platform's
    // reply window is open: an identity used now is looked up and touched at once.
    const auto used_now = [&](const std::string& channel) {
        const auto on_platform = parse_channel(channel);
        return on_platform && opens_reply_window(event, *on_platform);
    };
    for (std::size_t i = 0; i < identities.size(); ++i) {
        const auto& [channel, id] = identities[i];
        std::optional<std::int64_t> customer_id;
        if (used_now(channel)) {
            if (const auto touched = m_customers.touch_identity(channel, id, event.occurred_at_ms)) {
                customer_id = touched->customer_id;
                chatted_before = touched->chatted_before;
            }
        } else {
            customer_id = m_customers.find_by_identity(channel, id);
        }
        if (customer_id) {
            stored[i] = true;
            if (std::find(known.begin(), known.end(), *customer_id) == known.end()) {
                known.push_back(*customer_id);
                proof.push_back(channel);
            }
        }
    }
    EventCustomer customer;
    if (known.empty()) {
        customer.id = m_customers.create(now_ms, event.occurred_at_ms, event_source_id(event.source));
        chatted_before = false; // a customer seen for the first time
    } else {
        // One event naming identities of two customers proves they are one person: the
        // oldest customer is kept and the others are merged into it.
        customer.id = *std::min_element(known.begin(), known.end());
        for (std::int64_t other : known) {
            if (other == customer.id) {
                continue;
            }
            std::string reason =
                std::string(event_source_id(event.source)) + " event " + event.name + " named identities of both (";
            for (std::size_t i = 0; i < proof.size(); ++i) {
                reason += (i == 0 ? "" : ", ") + proof[i];
            }
            m_customers.merge(customer.id, other, now_ms, reason + ")");
            chatted_before.reset(); // the kept customer's history is now both of theirs
        }
    }
    // Identities stored already belong to the customer kept (a merge moved them): only new
    // ones are added.
    const bool scoped_to_account = !event.account_id.empty();
    for (std::size_t i = 0; i < identities.size(); ++i) {
        if (stored[i]) {
            continue;
        }
        const auto& [channel, id] = identities[i];
        const bool account_scoped = parse_channel(channel).has_value(); // ids on an OA or a page
        m_customers.add_identity(channel, id, scoped_to_account && account_scoped ? event.account_id : "", customer.id,
                                 now_ms, used_now(channel) ? std::optional(event.occurred_at_ms) : std::nullopt);
    }
    if (is_chat_contact(event)) {
        customer.chatted_before = chatted_before ? *chatted_before : m_audience.has_chat_contact(customer.id);
    }
    return customer;
}

namespace {

std::int64_t int_of(const json& object, const char* key) {
    auto found = object.find(key);
    return found != object.end() && found->is_number_integer() ? found->get<std::int64_t>() : 0;
}

std::vector<store::OrderItem> order_items_of(const json& content) {
    std::vector<store::OrderItem> items;
    auto found = content.find("items");
    if (found == content.end() || !found->is_array()) {
        return items;
    }
    for (const json& item : *found) {
        if (!item.is_object() || common::string_field(item, "sku").empty()) {
            continue;
        }
        const std::int64_t quantity = int_of(item, "quantity");
        items.push_back(
            {common::string_field(item, "sku"), common::string_field(item, "category"), quantity > 0 ? quantity : 1});
    }
    return items;
}

} // namespace

void EventApplier::apply_zalo_tags(const InboundEvent& event) {
    const std::string tag = common::string_field(event.content, "tag_name");
    const std::string action = common::string_field(event.content, "action");
    if (tag.empty()) {
        return;
    }
    if (action == "remove_tag") {
        m_customers.drop_zalo_tag(tag);
        return;
    }
    const auto ids = event.content.find("user_ids");
    if (ids == event.content.end() || !ids->is_array()) {
        return;
    }
    for (const json& user : *ids) {
        // Only followers pheu knows: one it has never heard from is in no segment yet.
        if (const auto customer = m_customers.find_by_identity("zalo", user.get<std::string>())) {
            m_customers.set_zalo_tag(*customer, tag, action == "add_user_to_tag", event.occurred_at_ms);
        }
    }
}

void EventApplier::record_facts(std::int64_t customer_id, const InboundEvent& event, std::int64_t now_ms) {
    const json& content = event.content;
    if (event.kind == kind::follow || event.kind == kind::unfollow) {
        m_customers.set_follower(customer_id, event.kind == kind::follow);
        m_audience.set_unfollowed(customer_id,
                                  event.kind == kind::unfollow ? std::optional(event.occurred_at_ms) : std::nullopt);
    } else if (event.kind == kind::info_submitted) {
        store::ProfileUpdate update;
        update.name = common::string_field(content, "name");
        update.phone = event.customer.phone;
        update.birthday = common::string_field(content, "birthday");
        update.gender = common::string_field(content, "gender");
        if (content.contains("address")) {
            update.address_json = content["address"].dump();
        }
        m_customers.update_profile(customer_id, update);
    } else if (event.kind == "purchase") {
        store::PurchaseRecord purchase;
        purchase.order_id = common::string_field(content, "order_id");
        purchase.customer_id = customer_id;
        purchase.placed_at = event.occurred_at_ms;
        purchase.total = int_of(content, "total");
        purchase.items_json = content.contains("items") && content["items"].is_array() ? content["items"].dump() : "[]";
        purchase.voucher_code = common::string_field(content, "voucher_code");
        m_orders.record_purchase(purchase, now_ms);
        m_catalog.record_order_items(purchase.order_id, order_items_of(content));
        if (!purchase.voucher_code.empty()) {
            const auto outcome = m_vouchers.redeem(normalise_voucher_code(purchase.voucher_code), purchase.order_id,
                                                   customer_id, event.occurred_at_ms);
            if (outcome == store::RedeemOutcome::shared_honoured || outcome == store::RedeemOutcome::shared_refused) {
                spdlog::info("vouchers: order {} used a code issued to another customer ({})", purchase.order_id,
                             store::redeem_outcome_id(outcome));
            }
        }
        m_customers.set_cart(customer_id, std::nullopt); // a purchase empties the cart
    } else if (event.kind == "form_submitted") {
        // A form may carry the profile facts the playbook uses (a birthday for the gift).
        const json& fields = content.contains("fields") && content["fields"].is_object() ? content["fields"] : json();
        store::ProfileUpdate update;
        update.birthday = fields.is_object() ? common::string_field(fields, "birthday") : std::string();
        update.name = fields.is_object() ? common::string_field(fields, "name") : std::string();
        if (!update.birthday.empty() || !update.name.empty()) {
            m_customers.update_profile(customer_id, update);
        }
    } else if (event.kind == "phone_shared") {
        m_customers.set_phone_consent(customer_id, event.occurred_at_ms);
    } else if (event.kind == "order_cancelled") {
        m_orders.record_cancellation(common::string_field(content, "order_id"), customer_id, event.occurred_at_ms,
                                     now_ms);
    } else if (event.kind == "cart_updated") {
        auto items = content.find("items");
        if (items == content.end() || !items->is_array() || items->empty()) {
            m_customers.set_cart(customer_id, std::nullopt);
        } else {
            m_customers.set_cart(customer_id, json{{"cart_id", common::string_field(content, "cart_id")},
                                                   {"cart_url", common::string_field(content, "cart_url")},
                                                   {"items", *items},
                                                   {"updated_at", event.occurred_at_ms}}
                                                  .dump());
        }
    } else if (event.kind == "product_viewed") {
        m_orders.record_product_view(customer_id, common::string_field(content, "sku"), event.occurred_at_ms);
    } else if (event.kind == "game_played") {
        const auto& prize = content.contains("prize") ? content["prize"] : json();
        m_orders.record_game_play(
            customer_id, common::string_field(content, "game_id"), common::string_field(content, "result"),
            prize.is_string() ? prize.get<std::string>() : (prize.is_null() ? "" : prize.dump()), event.occurred_at_ms);
    }
    if (!event.customer.phone.empty() && event.kind != kind::info_submitted) {
        store::ProfileUpdate phone_only;
        phone_only.phone = event.customer.phone;
        m_customers.update_profile(customer_id, phone_only);
    }
    if (!event.customer.name.empty() && event.kind != kind::info_submitted) {
        m_customers.set_name_if_missing(customer_id, event.customer.name);
    }
}

} // namespace pheu::bot
