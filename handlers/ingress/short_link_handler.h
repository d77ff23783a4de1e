#pragma once
// GET /r/{token}: a shopper's click on a link pheu sent. Records the click (customer,
// message, time) and answers 302 to the link the shop wrote, with UTM parameters added; a
// platform's link preview is redirected without being counted. 404 for a token pheu did not
// sign or a link it does not hold. No authentication: the token is the credential.
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>

namespace pheu::store {
class ReadPool;
class AdminWriter;
} // namespace pheu::store

namespace pheu::handlers {

class ShortLinkHandler {
public:
    ShortLinkHandler(store::ReadPool& reads, store::AdminWriter& writer, std::function<std::int64_t()> clock);

    HttpReply follow(const HttpRequestView& request) const;

private:
    store::ReadPool& m_reads;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
};

} // namespace pheu::handlers
