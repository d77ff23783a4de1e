#include "handlers/admin/personal_data_handler.h"

#include "common/time_format.h"
#include "handlers/admin/admin_common.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/customer_queries.h"
#include "store/personal_data.h"
#include "store/read_pool.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace pheu::handlers {

using nlohmann::json;

namespace {

HttpReply no_such_customer() {
    return json_error(404, "not_found", "No customer has this id.");
}

} // namespace

PersonalDataHandler::PersonalDataHandler(store::ReadPool& reads, store::AdminWriter& writer,
                                         std::function<std::int64_t()> clock)
    : m_reads(reads), m_writer(writer), m_clock(std::move(clock)) {}

HttpReply PersonalDataHandler::export_all(const HttpRequestView& request) const {
    json data;
    std::optional<std::int64_t> id;
    {
        auto lease = m_reads.lease();
        id = customer_named(request, lease.db());
        if (!id) {
            return no_such_customer();
        }
        data = store::personal_data(lease.db(), *id);
    }
    const std::int64_t now = m_clock();
    m_writer.write([&](store::sql::Connection& db) {
        audit(db, request, "customer.export", std::to_string(*id), json::object(), now);
    });
    data["customer_id"] = std::to_string(*id);
    data["exported_at"] = common::format_rfc3339_utc(now);
    HttpReply reply = ok_json(data);
    reply.headers.emplace_back("Content-Disposition",
                               "attachment; filename=\"pheu-customer-" + std::to_string(*id) + ".json\"");
    return reply;
}

HttpReply PersonalDataHandler::erase(const HttpRequestView& request) const {
    const std::int64_t now = m_clock();
    const auto erased =
        m_writer.write([&](store::sql::Connection& db) -> std::optional<std::pair<std::int64_t, store::Erasure>> {
            const auto id = customer_named(request, db);
            if (!id) {
                return std::nullopt;
            }
            const store::Erasure counts = store::erase_personal_data(db, *id, now);
            audit(db, request, "customer.erase", std::to_string(*id),
                  {{"customers", counts.customers},
                   {"identities", counts.identities},
                   {"events", counts.events},
                   {"messages", counts.messages}},
                  now);
            return std::pair{*id, counts};
        });
    if (!erased) {
        return no_such_customer();
    }
    const auto& [id, counts] = *erased;
    return ok_json({{"customer_id", std::to_string(id)},
                    {"erased", true},
                    {"customers", counts.customers},
                    {"identities", counts.identities},
                    {"events", counts.events},
                    {"messages", counts.messages}});
}

} // namespace pheu::handlers
