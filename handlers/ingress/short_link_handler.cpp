#include "handlers/ingress/short_link_handler.h"

#include "bot/playbook/short_links.h"
#include "handlers/http/json_error.h"
#include "store/admin_writer.h"
#include "store/link_store.h"
#include "store/read_pool.h"

namespace pheu::handlers {

ShortLinkHandler::ShortLinkHandler(store::ReadPool& reads, store::AdminWriter& writer,
                                   std::function<std::int64_t()> clock)
    : m_reads(reads), m_writer(writer), m_clock(std::move(clock)) {}

HttpReply ShortLinkHandler::follow(const HttpRequestView& request) const {
    std::optional<store::LinkRow> link;
    {
        auto lease = m_reads.lease();
        store::LinkStore links(lease.db());
        if (const auto id = bot::link_id_of(request.path_params.at(0), links.secret())) {
            link = links.get(*id);
        }
    }
    if (!link) {
        return json_error(404, "not_found", "This link is not one of the shop's.");
    }
    if (link->url.empty()) {
        return json_error(410, "gone", "This link's customer asked the shop to erase their data.");
    }
    if (!bot::is_link_preview(request.header("User-Agent"))) {
        const std::int64_t now = m_clock();
        m_writer.write([&](store::sql::Connection& db) { store::LinkStore(db).record_click(*link, now); });
    }
    const std::string target = bot::with_utm(link->url, bot::Utm{.medium = link->channel, .campaign = link->campaign});
    // Not cached: every click is the shop's to count.
    return HttpReply{302, "", "text/plain", {{"Location", target}, {"Cache-Control", "no-store"}}};
}

} // namespace pheu::handlers
