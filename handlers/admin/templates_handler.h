#pragma once
// The admin API for message templates (bearer admin token):
//   GET    /api/v1/templates                    every template
//   POST   /api/v1/templates                    a new template {"id","body",…}
//   GET    /api/v1/templates/{id}               one template
//   PUT    /api/v1/templates/{id}               a new version of it
//   DELETE /api/v1/templates/{id}               removes it, unless the playbook or another template uses it
//   GET    /api/v1/templates/{id}/versions      its saved versions, newest first
//   POST   /api/v1/templates/{id}/rollback      {"version":N}: saves version N's content as a new version
//   POST   /api/v1/templates/{id}/preview       as a customer ({"customer_id"}) or the sample shopper
//                                               would receive it, optionally of an unsaved "body"
// Every change is written to the audit log.
#include "common/shop_time.h"
#include "handlers/http/http_exchange.h"
#include "templates/template_model.h"

#include "store/sql/connection.h"
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class ReadPool;
class AdminWriter;
} // namespace pheu::store
namespace pheu::templates {
class TemplateCache;
}

namespace pheu::handlers {

class TemplatesHandler {
public:
    TemplatesHandler(store::ReadPool& reads, store::AdminWriter& writer, templates::TemplateCache& cache,
                     const std::string& zone_name, std::function<std::int64_t()> clock);

    HttpReply list(const HttpRequestView& request) const;
    HttpReply get(const HttpRequestView& request) const;
    HttpReply put(const HttpRequestView& request) const;
    HttpReply create(const HttpRequestView& request) const;
    HttpReply remove(const HttpRequestView& request) const;
    HttpReply versions(const HttpRequestView& request) const;
    HttpReply rollback(const HttpRequestView& request) const;
    HttpReply preview(const HttpRequestView& request) const;

private:
    // Names in the body that no message's data holds, checked against the sample shopper.
    nlohmann::json warnings_for(store::sql::Connection& db, const templates::TemplateContent& content) const;

    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    templates::TemplateCache& m_cache;
    common::ShopTime m_clock_zone;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
