#pragma once
// The admin API's read side of customers:
//   GET /api/v1/customers (by identity, q= name/phone/id, stage=, temperature=; paged),
//   GET /api/v1/customers/export.csv, GET /api/v1/customers/{id} (with stage history and
//   timeline), GET /api/v1/customers/{id}/messages. Bearer admin token.
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace pheu::store {
class ReadPool;
class CustomerQueries;
struct CustomerView;
} // namespace pheu::store

namespace pheu::handlers {

class CustomersHandler {
public:
    CustomersHandler(store::ReadPool& reads, std::function<std::int64_t()> clock);

    HttpReply list(const HttpRequestView& request) const;
    // GET /api/v1/customers/export.csv: the list's filters, every match, as CSV for ad audiences.
    HttpReply export_csv(const HttpRequestView& request) const;
    HttpReply get(const HttpRequestView& request) const;
    HttpReply messages(const HttpRequestView& request) const;

private:
    // The customer the path's {id} names (following merges), if any.
    static std::optional<store::CustomerView> find(const HttpRequestView& request, store::CustomerQueries& queries);
    // Finds the customer (404 otherwise) and renders it.
    HttpReply
    with_customer(const HttpRequestView& request,
                  const std::function<HttpReply(const store::CustomerView&, store::CustomerQueries&)>& render) const;

    store::ReadPool& m_reads;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
