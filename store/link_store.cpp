#include "store/link_store.h"

#include <SQLiteCpp/Statement.h>

namespace pheu::store {

LinkStore::LinkStore(SQLite::Database& db) : m_statements(db) {}

std::string LinkStore::secret() {
    auto query = m_statements("SELECT secret FROM link_secret WHERE id = 1");
    return query->executeStep() ? query->getColumn(0).getString() : std::string();
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
    insert->executeStep();
    return insert->getColumn(0).getInt64();
}

std::optional<LinkRow> LinkStore::get(std::int64_t id) {
    auto query = m_statements("SELECT id, url, customer_id, message_key, trigger, campaign, channel, created_at "
                              "FROM links WHERE id = ?");
    query->bind(1, static_cast<int64_t>(id));
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return LinkRow{.id = query->getColumn(0).getInt64(),
                   .url = query->getColumn(1).getString(),
                   .customer_id = query->getColumn(2).getInt64(),
                   .message_key = query->getColumn(3).getString(),
                   .trigger = query->getColumn(4).getString(),
                   .campaign = query->getColumn(5).getString(),
                   .channel = query->getColumn(6).getString(),
                   .created_at = query->getColumn(7).getInt64()};
}

void LinkStore::record_click(const LinkRow& link, std::int64_t at_ms) {
    auto insert = m_statements("INSERT INTO link_clicks (link_id, customer_id, clicked_at) VALUES (?, ?, ?)");
    insert->bind(1, static_cast<int64_t>(link.id));
    insert->bind(2, static_cast<int64_t>(link.customer_id));
    insert->bind(3, static_cast<int64_t>(at_ms));
    insert->exec();
}

} // namespace pheu::store
