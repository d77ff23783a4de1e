#pragma once
// GET /api/v1/reports/funnel[?from=YYYY-MM-DD&to=YYYY-MM-DD]: the funnel now
// ({"stages":{…},"total":N}, the README) and over the period (shop-local days, both
// ends included; the last 30 days by default, at most 366): customers per stage at the end
// of each day, transitions with the playbook's conversion rates, vouchers issued and
// redeemed per campaign, revenue per stage, messages by status and skip/fail reason, and
// abandoned carts recovered. Bearer admin token.
#include "common/shop_time.h"
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>
#include <variant>

namespace pheu::store {
class ReadPool;
}

namespace pheu::handlers {

class ReportsHandler {
public:
    ReportsHandler(store::ReadPool& reads, const std::string& zone_name, std::function<std::int64_t()> clock);

    HttpReply funnel(const HttpRequestView& request) const;
    // GET /api/v1/reports/messages?from=&to=: per trigger, the messages written in the period
    // and what they earned (store/message_results.h): sent, delivered, clicked, converted,
    // revenue, held_out, control_converted, and the lift over the control group.
    HttpReply messages(const HttpRequestView& request) const;

private:
    struct Period {
        std::int64_t start = 0; // the first day's local midnight
        std::int64_t end = 0;   // the midnight after the last day
    };
    // from= and to= (shop-local days, both included; the last 30 days by default, at most
    // 366), or the 400 reply.
    std::variant<Period, HttpReply> period_of(const HttpRequestView& request, std::int64_t now) const;

    store::ReadPool& m_reads;
    common::ShopTime m_zone;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
