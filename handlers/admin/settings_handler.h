#pragma once
// The admin API for the shop's settings and the audit log:
//   GET /api/v1/settings            every editable setting as pheu reads it now, plus the
//                                   configuration's timezone (read-only: it is a config key)
//   PUT /api/v1/settings/{key}      replaces one setting after validating it
//   GET /api/v1/audit               every admin change, newest first (limit, cursor)
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class ReadPool;
class AdminWriter;
} // namespace pheu::store

namespace pheu::handlers {

class SettingsHandler {
public:
    SettingsHandler(std::string zone_name, store::ReadPool& reads, store::AdminWriter& writer,
                    std::function<std::int64_t()> clock);

    HttpReply get(const HttpRequestView& request) const;
    HttpReply put(const HttpRequestView& request) const;
    // POST /api/v1/settings/stage_thresholds/preview {thresholds}: how many customers each
    // stage would hold now under them, nothing saved. One pass over the customers.
    HttpReply preview_stages(const HttpRequestView& request) const;
    HttpReply audit_log(const HttpRequestView& request) const;

private:
    std::string m_timezone;
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
