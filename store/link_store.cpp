#include "store/link_store.h"

namespace pheu::store {

LinkStore::LinkStore(sql::Connection& db) : m_statements(db) {}

std::string LinkStore::secret() {
    auto query = m_statements("SELECT secret FROM link_secret WHERE id = 1");
    return query->step() ? query->text(0) : std::string();
}

std::int64_t LinkStore::create(const LinkRow& link) {
    auto insert = m_statements("INSERT INTO links (url, customer_id, message_key, trigger, campaign, channel, "
                               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    insert->bind(1, link.url);
    insert->bind(2, static_cast<int64_t>(link.customer_id));
    insert->bind(3, link.message_key);
    insert->bind(4, link.trigger);
    insert->bind(5, link.campaign);
    insert->bind(6, link.channel);
    insert->bind(7, static_cast<int64_t>(link.created_at));
    insert->step();
    return insert->int64(0);
}

std::optional<LinkRow> LinkStore::get(std::int64_t id) {
    auto query = m_statements("SELECT id, url, customer_id, message_key, trigger, campaign, channel, created_at "
                              "FROM links WHERE id = ?");
    query->bind(1, static_cast<int64_t>(id));
    if (!query->step()) {
        return std::nullopt;
    }
    return LinkRow{.id = query->int64(0),
                   .url = query->text(1),
                   .customer_id = query->int64(2),
                   .message_key = query->text(3),
                   .trigger = query->text(4),
                   .campaign = query->text(5),
                   .channel = query->text(6),
                   .created_at = query->int64(7)};
}

void LinkStore::record_click(const LinkRow& link, std::int64_t at_ms) {
    auto insert = m_statements("INSERT INTO link_clicks (link_id, customer_id, clicked_at) VALUES (?, ?, ?)");
    insert->bind(1, static_cast<int64_t>(link.id));
    insert->bind(2, static_cast<int64_t>(link.customer_id));
    insert->bind(3, static_cast<int64_t>(at_ms));
    insert->run();
}

} // namespace pheu::store
