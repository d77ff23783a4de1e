#pragma once
// The admin API for what the playbook offers: the product catalog product tips come from,
// and imported voucher codes.
//   GET  /api/v1/products                  the catalog, by sku
//   POST /api/v1/products                  {"products":[{sku,name,category,price,url,image_url,in_stock}]}
//                                          upserts up to 1000; all-or-nothing
//   GET  /api/v1/vouchers                  campaigns with codes issued and redeemed
//   POST /api/v1/vouchers/{campaign}/codes {"codes":["…"],"valid_until":"RFC 3339"?} adds to the pool
//   GET  /api/v1/vouchers/codes/{code}     ?customer_id= or ?phone=: whose code it is, and
//                                          whether that customer may use it (the till's check)
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>
#include <string>

namespace pheu::store {
class ReadPool;
class AdminWriter;
} // namespace pheu::store

namespace pheu::handlers {

class CatalogHandler {
public:
    // The till checks codes with the events token it already holds, or the admin token.
    CatalogHandler(std::string admin_token, std::string events_token, store::ReadPool& reads,
                   store::AdminWriter& writer, std::function<std::int64_t()> clock);

    HttpReply list_products(const HttpRequestView& request) const;
    HttpReply upsert_products(const HttpRequestView& request) const;
    HttpReply list_vouchers(const HttpRequestView& request) const;
    HttpReply import_codes(const HttpRequestView& request) const;
    // POST /api/v1/vouchers: a new campaign.
    HttpReply create_campaign(const HttpRequestView& request) const;
    // PUT /api/v1/vouchers/{id}: changes the fields given (description, code_pattern,
    // validity_days, per_customer_limit, eligible_stages, honour_shared, active: false pauses
    // it, so no new code is issued); codes already issued keep their terms.
    HttpReply update_campaign(const HttpRequestView& request) const;
    // POST /api/v1/vouchers/{campaign}/generate {"count":N,"valid_until"?}: N new pool codes
    // from the campaign's pattern.
    HttpReply generate_codes(const HttpRequestView& request) const;
    HttpReply code_status(const HttpRequestView& request) const;

private:
    std::string m_admin_token;
    std::string m_events_token;
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
