#pragma once
// The shop's Zalo Mini App talking to pheu directly (docs/platforms.md, "Zalo Mini App"):
//   POST    /api/v1/miniapp/events  events of the verified shopper (X-Zalo-Access-Token)
//   POST    /api/v1/miniapp/phone   {"code"}: the phone the shopper agreed to share
//   OPTIONS both                     CORS preflight, for the configured origins only
// The shopper is who Zalo says the token belongs to, never what the client claims. Each
// shopper is rate limited (429 with Retry-After). Without a "miniapp" block in the
// configuration the endpoints answer 404.
#include "handlers/http/http_exchange.h"
#include "handlers/ingress/ingress_context.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pheu::bot {
class MiniAppIdentity;
struct CustomerRef;
} // namespace pheu::bot
namespace pheu::common {
class KeyedRateLimit;
}
namespace pheu::store {
class ReadPool;
}

namespace pheu::handlers {

struct MiniAppEndpoints {
    bot::MiniAppIdentity* identity = nullptr; // nullptr: no Mini App configured
    common::KeyedRateLimit* limit = nullptr;
    std::vector<std::string> allowed_origins;
};

class MiniAppHandler {
public:
    MiniAppHandler(MiniAppEndpoints endpoints, IngressContext ingress, store::ReadPool& reads);

    HttpReply preflight(const HttpRequestView& request) const;
    HttpReply events(const HttpRequestView& request) const;
    HttpReply phone(const HttpRequestView& request) const;

private:
    bool origin_allowed(const std::string& origin) const;
    // The CORS answer headers for a request from `origin` (none for same-origin calls).
    std::vector<std::pair<std::string, std::string>> cors_headers(const std::string& origin) const;
    // Checks origin, token, Zalo's verdict and the shopper's rate; `handle` runs for a
    // verified shopper within the limit.
    HttpReply
    as_shopper(const HttpRequestView& request,
               const std::function<HttpReply(const bot::CustomerRef& shopper, const std::string& token)>& handle) const;

    MiniAppEndpoints m_endpoints;
    IngressContext m_ingress;
    store::ReadPool& m_reads;
};

} // namespace pheu::handlers
