#include "handlers/admin/broadcasts_handler.h"

#include "common/input_error.h"
#include "common/time_format.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "bot/customers/segment_filter.h"
#include "bot/playbook/broadcast_route.h"
#include "bot/playbook/messaging_settings.h"
#include "bot/playbook/playbook.h"
#include "store/admin_writer.h"
#include "store/broadcast_store.h"
#include "store/customer_queries.h"
#include "store/read_pool.h"
#include "store/segment_store.h"
#include "store/settings_store.h"
#include "store/template_store.h"
#include "store/voucher_store.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

using nlohmann::json;
using store::BroadcastStatus;

namespace {

constexpr std::size_t k_max_name_bytes = 200;
constexpr int k_max_holdout_percent = 50;
constexpr std::int64_t k_max_budget_vnd = 10'000'000'000'000;

[[noreturn]] void reject(const std::string& path, const std::string& message) {
    throw common::InputRejected(common::InputError{.message = message, .path = path});
}

HttpReply not_found() {
    return json_error(404, "not_found", "No broadcast has this id.");
}

json broadcast_json(const store::Broadcast& broadcast, const store::BroadcastResults& results,
                    const std::vector<store::VariantResults>& by_template) {
    const auto& draft = broadcast.draft;
    json variants = json::array();
    for (const auto& variant : draft.variants) {
        json entry = {{"template", variant.template_id}, {"weight", variant.weight}, {"sent", 0}, {"skipped", 0}};
        for (const auto& row : by_template) {
            if (row.template_id == variant.template_id) {
                entry["sent"] = row.sent;
                entry["skipped"] = row.skipped;
            }
        }
        variants.push_back(entry);
    }
    return {{"id", std::to_string(broadcast.id)},
            {"variants", variants},
            {"name", draft.name},
            {"status", store::broadcast_status_id(broadcast.status)},
            {"segment_id", std::to_string(draft.segment_id)},
            {"template", draft.template_id},
            {"campaign", draft.campaign.empty() ? json(nullptr) : json(draft.campaign)},
            {"send_at", common::format_rfc3339_utc(draft.send_at)},
            {"holdout_percent", draft.holdout_percent},
            {"budget_vnd", draft.budget_vnd ? json(*draft.budget_vnd) : json(nullptr)},
            {"respect_caps", draft.respect_caps},
            {"audience", broadcast.audience},
            {"decided", results.decided},
            {"held_out", results.held_out},
            {"sent", results.sent},
            {"skipped", results.skipped},
            {"failed", results.failed},
            {"waiting", results.waiting},
            {"cost_vnd", results.cost_vnd},
            {"created_at", common::format_rfc3339_utc(broadcast.created_at)},
            {"started_at", time_or_null(broadcast.started_at)},
            {"finished_at", time_or_null(broadcast.finished_at)}};
}

std::int64_t id_field(const json& body, const char* key) {
    const auto found = body.find(key);
    if (found != body.end() && found->is_number_integer() && found->get<std::int64_t>() > 0) {
        return found->get<std::int64_t>();
    }
    if (found != body.end() && found->is_string()) {
        if (const auto id = parse_positive(found->get<std::string>()); id && *id > 0) {
            return *id;
        }
    }
    reject(std::string("/") + key, std::string(key) + " must name a saved segment by its id.");
}

// The saved segment `body` names in "segment_id".
store::SavedSegment segment_of(const json& body, store::SegmentStore& segments) {
    auto segment = segments.get(id_field(body, "segment_id"));
    if (!segment) {
        reject("/segment_id", "No segment has this id.");
    }
    return std::move(*segment);
}

// The template `body` names in "template", one of the shop's.
std::string template_of(const json& body, store::TemplateStore& templates) {
    const auto template_id = body.find("template");
    if (template_id == body.end() || !template_id->is_string() || !templates.get(template_id->get<std::string>())) {
        reject("/template", "template must name a template of the shop's (GET /api/v1/templates).");
    }
    return template_id->get<std::string>();
}

// The broadcast the shop asks for, checked against what exists: its segment, template and
// voucher campaign.
store::BroadcastDraft draft_of(const json& body, store::sql::Connection& db, std::int64_t now) {
    store::BroadcastDraft draft;
    const auto name = body.find("name");
    if (name == body.end() || !name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > k_max_name_bytes) {
        reject("/name", "name is required: what the shop calls this send, up to 200 bytes.");
    }
    draft.name = name->get<std::string>();
    store::SegmentStore segments(db);
    draft.segment_id = segment_of(body, segments).id;
    store::TemplateStore templates(db);
    if (const auto variants = body.find("variants"); variants != body.end() && !variants->is_null()) {
        draft.variants = bot::parse_variants(*variants, "/variants");
        for (std::size_t i = 0; i < draft.variants.size(); ++i) {
            if (!templates.get(draft.variants[i].template_id)) {
                reject("/variants/" + std::to_string(i) + "/template",
                       "each variant names a template of the shop's (GET /api/v1/templates).");
            }
        }
        draft.template_id = draft.variants.front().template_id;
    }
    // With variants, a "template" beside them must still be one of the shop's.
    if (draft.variants.empty()) {
        draft.template_id = template_of(body, templates);
    } else if (body.contains("template")) {
        template_of(body, templates);
    }
    if (const auto campaign = body.find("campaign"); campaign != body.end() && !campaign->is_null()) {
        if (!campaign->is_string() || !store::VoucherStore(db, nullptr).campaign(campaign->get<std::string>())) {
            reject("/campaign", "campaign must name a voucher campaign (GET /api/v1/vouchers).");
        }
        draft.campaign = campaign->get<std::string>();
    }
    draft.send_at = now;
    if (const auto send_at = body.find("send_at"); send_at != body.end() && !send_at->is_null()) {
        const auto at = send_at->is_string() ? common::parse_rfc3339_ms(send_at->get<std::string>()) : std::nullopt;
        if (!at) {
            reject("/send_at", "send_at must be a moment in RFC 3339, e.g. 2026-12-12T09:00:00+07:00.");
        }
        draft.send_at = *at;
    }
    if (const auto holdout = body.find("holdout_percent"); holdout != body.end() && !holdout->is_null()) {
        if (!holdout->is_number_integer() || holdout->get<std::int64_t>() < 0 ||
            holdout->get<std::int64_t>() > k_max_holdout_percent) {
            reject("/holdout_percent", "holdout_percent must be a whole number from 0 to 50.");
        }
        draft.holdout_percent = holdout->get<int>();
    }
    if (const auto budget = body.find("budget_vnd"); budget != body.end() && !budget->is_null()) {
        if (!budget->is_number_integer() || budget->get<std::int64_t>() < 0 ||
            budget->get<std::int64_t>() > k_max_budget_vnd) {
            reject("/budget_vnd", "budget_vnd must be a whole number of VND, 0 or more.");
        }
        draft.budget_vnd = budget->get<std::int64_t>();
    }
    if (const auto caps = body.find("respect_caps"); caps != body.end() && !caps->is_null()) {
        if (!caps->is_boolean()) {
            reject("/respect_caps", "respect_caps must be true (the send policy's caps hold) or false.");
        }
        draft.respect_caps = caps->get<bool>();
    }
    return draft;
}

struct Move {
    const char* action;
    std::vector<BroadcastStatus> from;
    const char* refusal; // when the broadcast is in none of `from`
};

// Applies the shop's pause, resume or cancel in one write: 404 for no such broadcast, 409
// when its status does not allow the move.
HttpReply move_broadcast(const HttpRequestView& request, store::AdminWriter& writer, std::int64_t now, const Move& move,
                         const std::function<BroadcastStatus(const store::Broadcast&)>& target) {
    const auto id = parse_positive(request.path_params.at(0));
    if (!id) {
        return not_found();
    }
    enum class Outcome { moved, missing, refused };
    const Outcome outcome = writer.write([&](store::sql::Connection& db) {
        store::BroadcastStore broadcasts(db);
        const auto broadcast = broadcasts.get(*id);
        if (!broadcast) {
            return Outcome::missing;
        }
        const BroadcastStatus to = target(*broadcast);
        if (!broadcasts.move(*id, move.from, to, now)) {
            return Outcome::refused;
        }
        if (to == BroadcastStatus::cancelled) {
            broadcasts.skip_waiting(*id, "cancelled: the shop cancelled the broadcast", now);
        }
        audit(db, request, std::string("broadcasts.") + move.action, std::to_string(*id), json::object(), now);
        return Outcome::moved;
    });
    if (outcome == Outcome::missing) {
        return not_found();
    }
    if (outcome == Outcome::refused) {
        return json_error(409, "invalid_state", move.refusal);
    }
    return HttpReply{};
}

} // namespace

BroadcastsHandler::BroadcastsHandler(store::ReadPool& reads, store::AdminWriter& writer,
                                     std::function<std::int64_t()> clock, std::function<void()> changed,
                                     TestSend test_send)
    : m_reads(reads), m_writer(writer), m_clock(std::move(clock)), m_changed(std::move(changed)),
      m_test_send(std::move(test_send)) {}

HttpReply BroadcastsHandler::create(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        try {
            const std::int64_t now = m_clock();
            const std::int64_t id = m_writer.write([&](store::sql::Connection& db) {
                const store::BroadcastDraft draft = draft_of(body, db, now);
                const std::int64_t created = store::BroadcastStore(db).create(draft, now);
                audit(db, request, "broadcasts.create", std::to_string(created), body, now);
                return created;
            });
            if (m_changed) {
                m_changed();
            }
            auto lease = m_reads.lease();
            store::BroadcastStore broadcasts(lease.db());
            const auto broadcast = broadcasts.get(id);
            return broadcast
                       ? ok_json(broadcast_json(*broadcast, broadcasts.results(id), broadcasts.results_by_template(id)),
                                 201)
                       : not_found();
        } catch (const common::InputRejected& rejected) {
            return json_error(400, rejected.error());
        }
    });
}

HttpReply BroadcastsHandler::list(const HttpRequestView&) const {
    auto lease = m_reads.lease();
    store::BroadcastStore broadcasts(lease.db());
    json items = json::array();
    for (const auto& broadcast : broadcasts.list()) {
        items.push_back(
            broadcast_json(broadcast, broadcasts.results(broadcast.id), broadcasts.results_by_template(broadcast.id)));
    }
    return ok_json({{"items", items}});
}

HttpReply BroadcastsHandler::estimate(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        try {
            const std::int64_t now = m_clock();
            auto lease = m_reads.lease();
            store::sql::Connection& db = lease.db();
            store::SegmentStore segments(db);
            const store::SavedSegment segment = segment_of(body, segments);
            store::TemplateStore templates(db);
            const std::string template_id = template_of(body, templates);
            store::SettingsStore settings(db);
            const bot::MessagePrices prices = bot::load_message_prices(settings);
            const bot::RouteFacts mapped{.zalo_template = bot::zalo_template_mapping(
                                             settings.get_object(bot::k_zalo_templates_key), template_id),
                                         .has_phone = false};
            bot::ReachEstimate estimate;
            segments.for_each_reach(bot::parse_segment_filter(json::parse(segment.filter_json)),
                                    bot::segment_clock(now), [&](const store::MemberReach& member) {
                                        bot::RecipientState recipient;
                                        recipient.on_zalo = member.on_zalo;
                                        recipient.zalo_last_interaction_at = member.zalo_last_interaction_at;
                                        recipient.on_messenger = member.on_messenger;
                                        recipient.messenger_last_interaction_at = member.messenger_last_interaction_at;
                                        bot::RouteFacts facts = mapped;
                                        facts.has_phone = member.has_phone;
                                        estimate.add(bot::cheapest_route(recipient, facts, prices, now));
                                    });
            json routes = json::object();
            std::int64_t reachable = 0;
            for (const auto route : {bot::BroadcastRoute::zalo_consultation, bot::BroadcastRoute::zalo_template,
                                     bot::BroadcastRoute::zns, bot::BroadcastRoute::messenger}) {
                const auto index = static_cast<std::size_t>(route);
                routes[bot::broadcast_route_id(route)] = {{"customers", estimate.customers[index]},
                                                          {"cost_vnd", estimate.cost_vnd[index]}};
                reachable += estimate.customers[index];
            }
            return ok_json({{"audience", reachable + estimate.unreachable},
                            {"reachable", reachable},
                            {"unreachable", estimate.unreachable},
                            {"routes", routes},
                            {"cost_vnd", estimate.total_cost_vnd()}});
        } catch (const common::InputRejected& rejected) {
            return json_error(400, rejected.error());
        }
    });
}

HttpReply BroadcastsHandler::get(const HttpRequestView& request) const {
    const auto id = parse_positive(request.path_params.at(0));
    auto lease = m_reads.lease();
    store::BroadcastStore broadcasts(lease.db());
    const auto broadcast = id ? broadcasts.get(*id) : std::nullopt;
    return broadcast ? ok_json(broadcast_json(*broadcast, broadcasts.results(*id), broadcasts.results_by_template(*id)))
                     : not_found();
}

HttpReply BroadcastsHandler::pause(const HttpRequestView& request) const {
    const HttpReply moved = move_broadcast(request, m_writer, m_clock(),
                                           Move{"pause",
                                                {BroadcastStatus::scheduled, BroadcastStatus::sending},
                                                "Only a scheduled or sending broadcast can "
                                                "be paused."},
                                           [](const store::Broadcast&) { return BroadcastStatus::paused; });
    return moved.status == 200 ? get(request) : moved;
}

HttpReply BroadcastsHandler::resume(const HttpRequestView& request) const {
    const HttpReply moved =
        move_broadcast(request, m_writer, m_clock(),
                       Move{"resume", {BroadcastStatus::paused}, "Only a paused broadcast can be resumed."},
                       [](const store::Broadcast& broadcast) {
                           return broadcast.started_at ? BroadcastStatus::sending : BroadcastStatus::scheduled;
                       });
    if (moved.status == 200 && m_changed) {
        m_changed();
    }
    return moved.status == 200 ? get(request) : moved;
}

HttpReply BroadcastsHandler::cancel(const HttpRequestView& request) const {
    const HttpReply moved =
        move_broadcast(request, m_writer, m_clock(),
                       Move{"cancel",
                            {BroadcastStatus::scheduled, BroadcastStatus::sending, BroadcastStatus::paused},
                            "A broadcast that is done or cancelled cannot be cancelled."},
                       [](const store::Broadcast&) { return BroadcastStatus::cancelled; });
    return moved.status == 200 ? get(request) : moved;
}

HttpReply BroadcastsHandler::test(const HttpRequestView& request) const {
    const auto id = parse_positive(request.path_params.at(0));
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        const auto customer_field = body.find("customer_id");
        std::optional<std::int64_t> customer_id;
        if (customer_field != body.end() && customer_field->is_string()) {
            customer_id = parse_positive(customer_field->get<std::string>());
        } else if (customer_field != body.end() && customer_field->is_number_integer()) {
            customer_id = customer_field->get<std::int64_t>();
        }
        if (!customer_id) {
            return json_error(400, "invalid_field", "customer_id must name the customer to try the message on.",
                              "/customer_id");
        }
        std::optional<store::CustomerView> customer;
        {
            auto lease = m_reads.lease();
            if (!id || !store::BroadcastStore(lease.db()).get(*id)) {
                return not_found();
            }
            customer = store::CustomerQueries(lease.db()).get(*customer_id); // follows a merge
        }
        if (!customer) {
            return json_error(404, "not_found", "No customer has this id.", "/customer_id");
        }
        std::optional<store::WrittenMessage> written;
        try {
            written = m_test_send(*id, customer->id);
        } catch (const std::exception& error) {
            return json_error(503, "unavailable", std::string("The test was not sent: ") + error.what());
        }
        if (!written) {
            return not_found();
        }
        return ok_json({{"customer_id", std::to_string(customer->id)},
                        {"status", written->status},
                        {"channel", written->channel},
                        {"reason", written->reason.empty() ? json(nullptr) : json(written->reason)},
                        {"text", written->text.empty() ? json(nullptr) : json(written->text)}});
    });
}

} // namespace pheu::handlers
