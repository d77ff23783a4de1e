#include "store/broadcast_store.h"

#include "store/sql_helpers.h"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace pheu::store {

namespace {

constexpr std::array<std::pair<BroadcastStatus, const char*>, 5> k_statuses = {{
    {BroadcastStatus::scheduled, "scheduled"},
    {BroadcastStatus::sending, "sending"},
    {BroadcastStatus::paused, "paused"},
    {BroadcastStatus::done, "done"},
    {BroadcastStatus::cancelled, "cancelled"},
}};

constexpr const char* k_columns =
    "id, name, segment_id, template, coalesce(campaign, ''), send_at, holdout_percent, budget_vnd, respect_caps, "
    "status, filter, audience, reserved_vnd, next_customer, all_decided, created_at, updated_at, started_at, "
    "finished_at, variants";

Broadcast read_broadcast(sql::Statement& row) {
    Broadcast broadcast;
    broadcast.id = row.int64(0);
    broadcast.draft.name = row.text(1);
    broadcast.draft.segment_id = row.int64(2);
    broadcast.draft.template_id = row.text(3);
    broadcast.draft.campaign = row.text(4);
    broadcast.draft.send_at = row.int64(5);
    broadcast.draft.holdout_percent = row.int32(6);
    broadcast.draft.budget_vnd = optional_int(row, 7);
    broadcast.draft.respect_caps = row.int32(8) != 0;
    broadcast.status = parse_broadcast_status(row.text(9)).value_or(BroadcastStatus::cancelled);
    broadcast.filter_json = optional_text(row, 10);
    broadcast.audience = row.int64(11);
    broadcast.reserved_vnd = row.int64(12);
    broadcast.next_customer = row.int64(13);
    broadcast.all_decided = row.int32(14) != 0;
    broadcast.created_at = row.int64(15);
    broadcast.updated_at = row.int64(16);
    broadcast.started_at = optional_int(row, 17);
    broadcast.finished_at = optional_int(row, 18);
    if (const auto variants = optional_text(row, 19)) {
        const auto parsed = nlohmann::json::parse(*variants, nullptr, false);
        for (const auto& variant : parsed.is_array() ? parsed : nlohmann::json::array()) {
            broadcast.draft.variants.push_back(
                TemplateVariant{.template_id = variant.value("template", ""), .weight = variant.value("weight", 1)});
        }
    }
    return broadcast;
}

std::vector<std::int64_t> ids_of(sql::Statement& query) {
    std::vector<std::int64_t> ids;
    while (query.step()) {
        ids.push_back(query.int64(0));
    }
    return ids;
}

} // namespace

const char* broadcast_status_id(BroadcastStatus status) {
    for (const auto& [known, id] : k_statuses) {
        if (known == status) {
            return id;
        }
    }
    return "cancelled";
}

std::optional<BroadcastStatus> parse_broadcast_status(std::string_view id) {
    for (const auto& [status, known] : k_statuses) {
        if (id == known) {
            return status;
        }
    }
    return std::nullopt;
}

BroadcastStore::BroadcastStore(sql::Connection& db) : m_statements(db) {}

std::int64_t BroadcastStore::create(const BroadcastDraft& draft, std::int64_t now) {
    auto insert = m_statements("INSERT INTO broadcasts (name, segment_id, template, campaign, send_at, "
                               "holdout_percent, budget_vnd, respect_caps, created_at, updated_at, variants) "
                               "VALUES (?, ?, ?, nullif(?, ''), ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    insert->bind(1, draft.name);
    insert->bind(2, static_cast<int64_t>(draft.segment_id));
    insert->bind(3, draft.template_id);
    insert->bind(4, draft.campaign);
    insert->bind(5, static_cast<int64_t>(draft.send_at));
    insert->bind(6, draft.holdout_percent);
    bind_optional_int(*insert, 7, draft.budget_vnd);
    insert->bind(8, draft.respect_caps ? 1 : 0);
    insert->bind(9, static_cast<int64_t>(now));
    insert->bind(10, static_cast<int64_t>(now));
    if (draft.variants.empty()) {
        insert->bind_null(11);
    } else {
        nlohmann::json variants = nlohmann::json::array();
        for (const auto& variant : draft.variants) {
            variants.push_back({{"template", variant.template_id}, {"weight", variant.weight}});
        }
        insert->bind(11, variants.dump());
    }
    insert->step();
    return insert->int64(0);
}

std::optional<Broadcast> BroadcastStore::get(std::int64_t id) {
    auto query = m_statements(std::string("SELECT ") + k_columns + " FROM broadcasts WHERE id = ?");
    query->bind(1, static_cast<int64_t>(id));
    if (!query->step()) {
        return std::nullopt;
    }
    return read_broadcast(*query);
}

std::vector<Broadcast> BroadcastStore::list() {
    auto query = m_statements(std::string("SELECT ") + k_columns + " FROM broadcasts ORDER BY id DESC");
    std::vector<Broadcast> broadcasts;
    while (query->step()) {
        broadcasts.push_back(read_broadcast(*query));
    }
    return broadcasts;
}

bool BroadcastStore::move(std::int64_t id, const std::vector<BroadcastStatus>& from, BroadcastStatus to,
                          std::int64_t now) {
    auto update = m_statements("UPDATE broadcasts SET status = ?, updated_at = ?, finished_at = CASE WHEN ? THEN ? "
                               "ELSE finished_at END WHERE id = ? AND status IN (" +
                               placeholder_list(from.size()) + ")");
    const bool final = to == BroadcastStatus::done || to == BroadcastStatus::cancelled;
    update->bind(1, broadcast_status_id(to));
    update->bind(2, static_cast<int64_t>(now));
    update->bind(3, final ? 1 : 0);
    update->bind(4, static_cast<int64_t>(now));
    update->bind(5, static_cast<int64_t>(id));
    int index = 6;
    for (BroadcastStatus status : from) {
        update->bind(index++, broadcast_status_id(status));
    }
    return update->run() > 0;
}

bool BroadcastStore::segment_in_use(std::int64_t segment_id) {
    auto query = m_statements("SELECT 1 FROM broadcasts WHERE segment_id = ? AND status IN ('scheduled', "
                              "'sending', 'paused') LIMIT 1");
    query->bind(1, static_cast<int64_t>(segment_id));
    return query->step();
}

bool BroadcastStore::any_active(std::int64_t now) {
    auto query = m_statements("SELECT 1 FROM broadcasts WHERE status = 'sending' OR (status = 'scheduled' AND "
                              "send_at <= ?) LIMIT 1");
    query->bind(1, static_cast<int64_t>(now));
    return query->step();
}

std::vector<std::int64_t> BroadcastStore::due_to_start(std::int64_t now) {
    auto query =
        m_statements("SELECT id FROM broadcasts WHERE status = 'scheduled' AND send_at <= ? ORDER BY send_at, id" +
                     skip_claimed(m_statements.backend()));
    query->bind(1, static_cast<int64_t>(now));
    return ids_of(*query);
}

void BroadcastStore::start(std::int64_t id, const std::string& filter_json, std::int64_t audience, std::int64_t now) {
    auto update = m_statements("UPDATE broadcasts SET status = 'sending', filter = ?, audience = ?, started_at = ?, "
                               "updated_at = ? WHERE id = ? AND status = 'scheduled'");
    update->bind(1, filter_json);
    update->bind(2, static_cast<int64_t>(audience));
    update->bind(3, static_cast<int64_t>(now));
    update->bind(4, static_cast<int64_t>(now));
    update->bind(5, static_cast<int64_t>(id));
    update->run();
}

std::optional<Broadcast> BroadcastStore::next_to_decide() {
    // Several instances: each decides a broadcast no other is deciding now, and reads its
    // cursor as the last one to decide it left it (a locked row is read at its latest).
    auto query = m_statements(std::string("SELECT ") + k_columns +
                              " FROM broadcasts WHERE status = 'sending' AND all_decided = 0 ORDER BY id LIMIT 1" +
                              skip_claimed(m_statements.backend()));
    if (!query->step()) {
        return std::nullopt;
    }
    return read_broadcast(*query);
}

std::vector<std::int64_t> BroadcastStore::fully_decided() {
    auto query = m_statements("SELECT id FROM broadcasts WHERE status = 'sending' AND all_decided = 1 ORDER BY id");
    return ids_of(*query);
}

std::int64_t BroadcastStore::waiting(std::int64_t id) {
    auto query = m_statements("SELECT count(*) FROM broadcast_sends s JOIN outbox o ON o.id = s.outbox_id "
                              "WHERE s.broadcast_id = ? AND o.status = 'queued'");
    query->bind(1, static_cast<int64_t>(id));
    query->step();
    return query->int64(0);
}

bool BroadcastStore::record_send(std::int64_t id, std::int64_t customer_id, const std::string& idempotency_key,
                                 const std::string& route, std::int64_t cost_vnd) {
    auto insert = m_statements("INSERT INTO broadcast_sends (broadcast_id, customer_id, outbox_id, route, cost_vnd) "
                               "SELECT ?, ?, id, nullif(?, ''), ? FROM outbox WHERE idempotency_key = ? "
                               "ON CONFLICT DO NOTHING");
    insert->bind(1, static_cast<int64_t>(id));
    insert->bind(2, static_cast<int64_t>(customer_id));
    insert->bind(3, route);
    insert->bind(4, static_cast<int64_t>(cost_vnd));
    insert->bind(5, idempotency_key);
    return insert->run() > 0;
}

void BroadcastStore::advance(std::int64_t id, std::int64_t next_customer, std::int64_t reserved_vnd, bool all_decided,
                             std::int64_t now) {
    auto update = m_statements("UPDATE broadcasts SET next_customer = ?, reserved_vnd = ?, all_decided = ?, "
                               "updated_at = ? WHERE id = ?");
    update->bind(1, static_cast<int64_t>(next_customer));
    update->bind(2, static_cast<int64_t>(reserved_vnd));
    update->bind(3, all_decided ? 1 : 0);
    update->bind(4, static_cast<int64_t>(now));
    update->bind(5, static_cast<int64_t>(id));
    update->run();
}

void BroadcastStore::finish(std::int64_t id, std::int64_t now) {
    auto update = m_statements("UPDATE broadcasts SET status = 'done', finished_at = ?2, updated_at = ?2, "
                               "audience = (SELECT count(*) FROM broadcast_sends WHERE broadcast_id = ?1) "
                               "WHERE id = ?1 AND status = 'sending'");
    update->bind(1, static_cast<int64_t>(id));
    update->bind(2, static_cast<int64_t>(now));
    update->run();
}

int BroadcastStore::skip_waiting(std::int64_t id, const std::string& reason, std::int64_t now) {
    // A message claimed for sending, or in doubt, may be at the platform already: it keeps
    // its course (sent, or failed in doubt) rather than being called skipped.
    auto update = m_statements("UPDATE outbox SET status = 'skipped', reason = ?, not_before = NULL, updated_at = ? "
                               "WHERE status = 'queued' AND sending_since IS NULL AND in_doubt_since IS NULL "
                               "AND id IN (SELECT outbox_id FROM broadcast_sends WHERE broadcast_id = ?)");
    update->bind(1, reason);
    update->bind(2, static_cast<int64_t>(now));
    update->bind(3, static_cast<int64_t>(id));
    return static_cast<int>(update->run());
}

BroadcastResults BroadcastStore::results(std::int64_t id) {
    auto query =
        m_statements("SELECT count(*), "
                     "coalesce(sum(o.status = 'skipped' AND o.reason = 'held_out'), 0), "
                     "coalesce(sum(o.status IN ('sent', 'sandboxed')), 0), "
                     "coalesce(sum(o.status = 'skipped' AND o.reason IS NOT 'held_out'), 0), "
                     "coalesce(sum(o.status = 'failed'), 0), coalesce(sum(o.status = 'queued'), 0), "
                     "coalesce(sum(CASE WHEN o.status IN ('sent', 'sandboxed') THEN s.cost_vnd ELSE 0 END), 0) "
                     "FROM broadcast_sends s JOIN outbox o ON o.id = s.outbox_id WHERE s.broadcast_id = ?");
    query->bind(1, static_cast<int64_t>(id));
    query->step();
    return BroadcastResults{.decided = query->int64(0),
                            .held_out = query->int64(1),
                            .sent = query->int64(2),
                            .skipped = query->int64(3),
                            .failed = query->int64(4),
                            .waiting = query->int64(5),
                            .cost_vnd = query->int64(6)};
}

std::vector<VariantResults> BroadcastStore::results_by_template(std::int64_t id) {
    auto query = m_statements("SELECT coalesce(o.template, ''), count(*), "
                              "coalesce(sum(o.status IN ('sent', 'sandboxed')), 0), "
                              "coalesce(sum(o.status = 'skipped' AND o.reason IS NOT 'held_out'), 0) "
                              "FROM broadcast_sends s JOIN outbox o ON o.id = s.outbox_id "
                              "WHERE s.broadcast_id = ? AND o.reason IS NOT 'held_out' GROUP BY 1 ORDER BY 1");
    query->bind(1, static_cast<int64_t>(id));
    std::vector<VariantResults> rows;
    while (query->step()) {
        rows.push_back(VariantResults{.template_id = query->text(0),
                                      .decided = query->int64(1),
                                      .sent = query->int64(2),
                                      .skipped = query->int64(3)});
    }
    return rows;
}

std::optional<WrittenMessage> BroadcastStore::message(const std::string& idempotency_key) {
    auto query = m_statements("SELECT status, channel, coalesce(reason, ''), coalesce(text, '') FROM outbox "
                              "WHERE idempotency_key = ?");
    query->bind(1, idempotency_key);
    if (!query->step()) {
        return std::nullopt;
    }
    return WrittenMessage{
        .status = query->text(0), .channel = query->text(1), .reason = query->text(2), .text = query->text(3)};
}

} // namespace pheu::store
