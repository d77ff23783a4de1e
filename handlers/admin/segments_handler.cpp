#include "handlers/admin/segments_handler.h"

#include "bot/customers/segment_filter.h"
#include "common/input_error.h"
#include "common/time_format.h"
#include "handlers/admin/admin_common.h"
#include "handlers/admin/customer_json.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/broadcast_store.h"
#include "store/customer_queries.h"
#include "store/read_pool.h"
#include "store/segment_store.h"

#include <nlohmann/json.hpp>

namespace pheu::handlers {

using nlohmann::json;

namespace {

constexpr std::size_t k_max_name_bytes = 200;
constexpr int k_default_limit = 50;
constexpr int k_max_limit = 500;
constexpr int k_export_page = 500;

HttpReply not_found() {
    return json_error(404, "not_found", "No segment has this id.");
}

json segment_json(const store::SavedSegment& segment, std::int64_t count) {
    return {{"id", std::to_string(segment.id)},
            {"name", segment.name},
            {"filter", json::parse(segment.filter_json)},
            {"count", count},
            {"created_at", common::format_rfc3339_utc(segment.created_at)},
            {"updated_at", common::format_rfc3339_utc(segment.updated_at)}};
}

// A segment as the shop sends it: its name and a filter pheu understands.
struct SegmentInput {
    std::string name;
    json filter;
    store::SegmentFilter parsed;
};

SegmentInput segment_input(const json& body) {
    SegmentInput input;
    const auto name = body.find("name");
    if (name == body.end() || !name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > k_max_name_bytes) {
        throw common::InputRejected(common::InputError{
            .message = "name is required: what the shop calls this group, up to 200 bytes.", .path = "/name"});
    }
    input.name = name->get<std::string>();
    input.filter = body.contains("filter") ? body["filter"] : json::object();
    input.parsed = bot::parse_segment_filter(input.filter);
    return input;
}

std::int64_t count_now(store::SegmentStore& segments, const std::string& filter_json, std::int64_t now) {
    return segments.count(bot::parse_segment_filter(json::parse(filter_json)), bot::segment_clock(now));
}

// The saved filter of the segment the path's {id} names, if any.
std::optional<store::SegmentFilter> filter_of(store::SegmentStore& segments, const HttpRequestView& request) {
    const auto id = parse_positive(request.path_params.at(0));
    const auto segment = id ? segments.get(*id) : std::nullopt;
    if (!segment) {
        return std::nullopt;
    }
    return bot::parse_segment_filter(json::parse(segment->filter_json));
}

std::vector<store::CustomerView> customers_of(store::CustomerQueries& queries, const std::vector<std::int64_t>& ids) {
    std::vector<store::CustomerView> views;
    for (const std::int64_t id : ids) {
        if (auto view = queries.get(id)) {
            views.push_back(std::move(*view));
        }
    }
    return views;
}

} // namespace

SegmentsHandler::SegmentsHandler(store::ReadPool& reads, store::AdminWriter& writer,
                                 std::function<std::int64_t()> clock)
    : m_reads(reads), m_writer(writer), m_clock(std::move(clock)) {}

HttpReply SegmentsHandler::create(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        try {
            const SegmentInput input = segment_input(body);
            const std::int64_t now = m_clock();
            const std::int64_t id = m_writer.write([&](store::sql::Connection& db) {
                const std::int64_t created = store::SegmentStore(db).create(input.name, input.filter.dump(), now);
                audit(db, request, "segments.create", std::to_string(created),
                      {{"name", input.name}, {"filter", input.filter}}, now);
                return created;
            });
            auto lease = m_reads.lease();
            store::SegmentStore segments(lease.db());
            const auto saved = segments.get(id);
            if (!saved) {
                return not_found(); // erased between the two calls
            }
            return ok_json(segment_json(*saved, segments.count(input.parsed, bot::segment_clock(now))), 201);
        } catch (const common::InputRejected& rejected) {
            return json_error(400, rejected.error());
        }
    });
}

HttpReply SegmentsHandler::list(const HttpRequestView&) const {
    const std::int64_t now = m_clock();
    auto lease = m_reads.lease();
    store::SegmentStore segments(lease.db());
    json items = json::array();
    for (const auto& segment : segments.list()) {
        items.push_back(segment_json(segment, count_now(segments, segment.filter_json, now)));
    }
    return ok_json({{"items", items}});
}

HttpReply SegmentsHandler::count(const HttpRequestView& request) const {
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        try {
            const auto filter = bot::parse_segment_filter(body.contains("filter") ? body["filter"] : json::object());
            auto lease = m_reads.lease();
            return ok_json({{"count", store::SegmentStore(lease.db()).count(filter, bot::segment_clock(m_clock()))}});
        } catch (const common::InputRejected& rejected) {
            return json_error(400, rejected.error());
        }
    });
}

HttpReply SegmentsHandler::get(const HttpRequestView& request) const {
    const auto id = parse_positive(request.path_params.at(0));
    auto lease = m_reads.lease();
    store::SegmentStore segments(lease.db());
    const auto segment = id ? segments.get(*id) : std::nullopt;
    if (!segment) {
        return not_found();
    }
    return ok_json(segment_json(*segment, count_now(segments, segment->filter_json, m_clock())));
}

HttpReply SegmentsHandler::put(const HttpRequestView& request) const {
    const auto id = parse_positive(request.path_params.at(0));
    if (!id) {
        return not_found();
    }
    return with_json_object_body(request, [&](const json& body) -> HttpReply {
        try {
            const SegmentInput input = segment_input(body);
            const std::int64_t now = m_clock();
            const bool updated = m_writer.write([&](store::sql::Connection& db) {
                if (!store::SegmentStore(db).update(*id, input.name, input.filter.dump(), now)) {
                    return false;
                }
                audit(db, request, "segments.update", std::to_string(*id),
                      {{"name", input.name}, {"filter", input.filter}}, now);
                return true;
            });
            if (!updated) {
                return not_found();
            }
            return get(request);
        } catch (const common::InputRejected& rejected) {
            return json_error(400, rejected.error());
        }
    });
}

HttpReply SegmentsHandler::remove(const HttpRequestView& request) const {
    const auto id = parse_positive(request.path_params.at(0));
    if (!id) {
        return not_found();
    }
    const std::int64_t now = m_clock();
    enum class Outcome { removed, missing, in_use };
    const Outcome outcome = m_writer.write([&](store::sql::Connection& db) {
        if (store::BroadcastStore(db).segment_in_use(*id)) {
            return Outcome::in_use;
        }
        if (!store::SegmentStore(db).remove(*id)) {
            return Outcome::missing;
        }
        audit(db, request, "segments.delete", std::to_string(*id), json::object(), now);
        return Outcome::removed;
    });
    if (outcome == Outcome::in_use) {
        return json_error(409, "in_use", "A broadcast not yet done sends to this segment: cancel it first.");
    }
    return outcome == Outcome::removed ? HttpReply{204, "", "application/json", {}} : not_found();
}

HttpReply SegmentsHandler::customers(const HttpRequestView& request) const {
    const auto limit = limit_param(request, k_default_limit, k_max_limit);
    if (!limit) {
        return json_error(400, "invalid_query", "limit must be a whole number from 1 to 500.", "limit");
    }
    auto cursor = cursor_param(request);
    if (auto* reply = std::get_if<HttpReply>(&cursor)) {
        return *reply;
    }
    const std::int64_t now = m_clock();
    auto lease = m_reads.lease();
    store::SegmentStore segments(lease.db());
    const auto filter = filter_of(segments, request);
    if (!filter) {
        return not_found();
    }
    store::CustomerQueries queries(lease.db());
    auto views = customers_of(queries, segments.member_ids(*filter, bot::segment_clock(now),
                                                           std::get<std::optional<std::int64_t>>(cursor).value_or(0),
                                                           *limit + 1));
    json next_cursor = next_page_cursor(views, *limit);
    json items = json::array();
    for (const auto& view : views) {
        items.push_back(customer_json(view, now));
    }
    return ok_json({{"items", items}, {"next_cursor", next_cursor}});
}

HttpReply SegmentsHandler::export_csv(const HttpRequestView& request) const {
    const std::int64_t now = m_clock();
    auto lease = m_reads.lease();
    store::SegmentStore segments(lease.db());
    const auto filter = filter_of(segments, request);
    if (!filter) {
        return not_found();
    }
    store::CustomerQueries queries(lease.db());
    std::string csv = customer_csv_header();
    for (std::int64_t after = 0;;) {
        const auto ids = segments.member_ids(*filter, bot::segment_clock(now), after, k_export_page);
        for (const auto& view : customers_of(queries, ids)) {
            csv += customer_csv_row(view);
        }
        if (ids.size() < static_cast<std::size_t>(k_export_page)) {
            break;
        }
        after = ids.back();
    }
    return HttpReply{
        200,
        csv,
        "text/csv; charset=utf-8",
        {{"Content-Disposition", "attachment; filename=\"pheu-segment-" + request.path_params.at(0) + ".csv\""}}};
}

} // namespace pheu::handlers
