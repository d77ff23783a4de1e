#pragma once
// Connecting a Facebook page from the console: PUT /api/v1/connections/messenger/{page_id}
// {"page_access_token"}. The token is checked with the Graph API first (GET /me must name
// this page); only then is it stored (sealed when PHEU_MASTER_KEY is set) and used, and the
// page's waiting messages go out. The token is never logged or audited.
#include "handlers/http/http_exchange.h"

#include <cstdint>
#include <functional>

namespace pheu::bot::channels {
class ChannelDirectory;
}
namespace pheu::store {
class AdminWriter;
}

namespace pheu::handlers {

class MessengerConnectHandler {
public:
    MessengerConnectHandler(bot::channels::ChannelDirectory& channels, store::AdminWriter& writer,
                            std::function<std::int64_t()> clock, std::function<void()> on_connected);

    // 200 {"channel","account_id","working":true}; 400 "token_refused", "token_for_other_page";
    // 404 a page not configured; 502 "graph_unreachable".
    HttpReply connect(const HttpRequestView& request) const;

private:
    bot::channels::ChannelDirectory& m_channels;
    store::AdminWriter& m_writer;
    std::function<std::int64_t()> m_clock;
    std::function<void()> m_on_connected;
};

} // namespace pheu::handlers
