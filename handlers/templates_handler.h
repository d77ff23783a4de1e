#pragma once
// The admin API for message templates:
//   GET /api/v1/templates, GET /api/v1/templates/{id}, PUT /api/v1/templates/{id},
//   POST /api/v1/templates/{id}/preview. Bearer admin token.
#include "bot/shop_time.h"
#include "handlers/http_exchange.h"

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
    TemplatesHandler(std::string admin_token, store::ReadPool& reads, store::AdminWriter& writer,
                     templates::TemplateCache& cache, const std::string& zone_name, std::function<std::int64_t()> clock);

    HttpReply list(const HttpRequestView& request) const;
    HttpReply get(const HttpRequestView& request) const;
    HttpReply put(const HttpRequestView& request) const;
    HttpReply preview(const HttpRequestView& request) const;

private:
    std::string m_admin_token;
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    templates::TemplateCache& m_cache;
    bot::ShopTime m_clock_zone;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
