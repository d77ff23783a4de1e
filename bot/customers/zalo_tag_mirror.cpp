#include "bot/customers/zalo_tag_mirror.h"

#include "bot/trigger.h"
#include "store/customer_store.h"
#include "store/outbox_store.h"

#include <nlohmann/json.hpp>

namespace pheu::bot {

namespace {

class ZaloTagMirror {
public:
    ZaloTagMirror(store::sql::Connection& db, const StageKeeper& keeper)
        : m_customers(db), m_outbox(db), m_keeper(keeper) {}

    void on_stage_entered(const StageChange& change) {
        // Only followers reachable on Zalo carry OA tags; others have nothing to mirror.
        const auto zalo = m_customers.identity_on(change.customer_id, "zalo");
        if (!zalo) {
            return;
        }
        const std::string trigger = Trigger::stage_entered(change.to).text();
        const std::string key_prefix = "zalo_tag:" + std::to_string(change.customer_id) + ":" +
                                       std::to_string(change.at) + ":" + stage_id(change.to) + ":";
        if (change.from) {
            enqueue(change, *zalo, store::OutboxKind::untag, m_keeper.settings().tag_for(*change.from),
                    key_prefix + "untag", trigger);
        }
        enqueue(change, *zalo, store::OutboxKind::tag, m_keeper.settings().tag_for(change.to), key_prefix + "tag",
                trigger);
    }

private:
    void enqueue(const StageChange& change, const store::CustomerStore::Identity& zalo, store::OutboxKind kind,
                 const std::string& tag_name, const std::string& key, const std::string& trigger) {
        store::OutboxItem item;
        item.customer_id = change.customer_id;
        item.kind = kind;
        item.channel = "zalo";
        item.account_id = zalo.account_id;
        item.recipient = zalo.external_id;
        item.idempotency_key = key;
        item.status = store::OutboxStatus::queued;
        item.trigger = trigger;
        item.payload_json = nlohmann::json{{"tag_name", tag_name}}.dump();
        m_outbox.enqueue(item, change.at);
    }

    store::CustomerStore m_customers;
    store::OutboxStore m_outbox;
    const StageKeeper& m_keeper;
};

} // namespace

void subscribe_zalo_tag_mirror(StageKeeper& keeper, store::sql::Connection& db) {
    auto mirror = std::make_shared<ZaloTagMirror>(db, keeper);
    keeper.subscribe([mirror](const StageChange& change) { mirror->on_stage_entered(change); });
}

} // namespace pheu::bot
