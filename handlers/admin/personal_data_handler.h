#pragma once
// A shopper's rights over what the shop holds about them (Vietnam's Decree 13/2023), for the
// shop to answer (bearer admin token; both audited):
//   GET /api/v1/customers/{id}/export   everything pheu holds about the person, as JSON;
//   DELETE /api/v1/customers/{id}       erases their personal data, keeping anonymous counts
//                                        (store/personal_data.h says what goes and what stays).
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class AdminWriter;
class ReadPool;
} // namespace pheu::store

namespace pheu::handlers {

class PersonalDataHandler {
public:
    PersonalDataHandler(store::ReadPool& reads, store::AdminWriter& writer, std::function<std::int64_t()> clock);

    HttpReply export_all(const HttpRequestView& request) const;
    HttpReply erase(const HttpRequestView& request) const;

private:
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
