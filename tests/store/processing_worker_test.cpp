#include "bot/inbound_event.h"
#include "bot/metrics.h"
#include "bot/processing_worker.h"
#include "store/database.h"
#include "store/inbox_writer.h"
#include "templates/template_cache.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <catch2/catch.hpp>

using namespace pheu;
using pheu::testing::query_int;

namespace {

store::InboxRecord record_of(const bot::InboundEvent& event) {
    return store::InboxRecord{event.dedupe_key, event.source, event.account_id, event.kind, event.occurred_at_ms,
                              event.occurred_at_ms, store::InboxState::pending, bot::event_json_text(event), "{}"};
}

bot::InboundEvent zalo_message(const std::string& user, std::int64_t at, const std::string& key) {
    bot::InboundEvent event;
    event.source = "zalo";
    event.kind = bot::kind::message;
    event.name = "user_send_text";
    event.interaction = true;
    event.customer.zalo_user_id = user;
    event.occurred_at_ms = at;
    event.dedupe_key = key;
    return event;
}

} // namespace

TEST_CASE("the worker attaches events to customers and keeps the latest interaction", "[store][worker]") {
    testing::TempDir dir;
    const std::string path = dir.file("w.db");
    store::open_and_migrate(path);
    bot::Metrics metrics;
    store::WriteGate gate;
    templates::TemplateCache cache;
    bot::ProcessingWorker worker(path, gate, metrics, [] { return std::int64_t{5000}; }, bot::PipelineOptions{&cache, {}, {}});
    {
        store::InboxWriter writer(path, gate, {});
        bot::InboundEvent with_app_id = zalo_message("u1", 3000, "k1");
        with_app_id.customer.zalo_app_user_id = "app-u1";
        bot::InboundEvent receipt = zalo_message("u1", 4000, "k3");
        receipt.kind = bot::kind::delivered;
        receipt.interaction = false;
        writer.write({record_of(with_app_id), record_of(zalo_message("u1", 1000, "k2")), record_of(receipt),
                      record_of(zalo_message("u2", 2000, "k4"))});
        // A row the worker cannot read: marked failed, the others still processed.
        store::InboxRecord broken = record_of(zalo_message("u3", 1, "k5"));
        broken.event = "{\"not\":\"an event\"}";
        writer.write({broken});
    }
    CHECK(worker.process_batch() == 5);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE state = 'processed'") == 4);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE state = 'failed'") == 1);
    CHECK(query_int(path, "SELECT count(*) FROM customers") == 2);
    const auto u1 = query_int(path, "SELECT customer_id FROM customer_identities WHERE channel='zalo' AND external_id='u1'");
    CHECK(query_int(path, "SELECT customer_id FROM customer_identities WHERE channel='zalo_app' AND external_id='app-u1'") == u1);
    // The late, older message and the receipt do not move the interaction time back or forward.
    CHECK(query_int(path, "SELECT last_interaction_at FROM customers WHERE id = " + std::to_string(u1)) == 3000);
    CHECK(query_int(path, "SELECT count(*) FROM inbox_events WHERE customer_id = " + std::to_string(u1)) == 3);
    CHECK(worker.process_batch() == 0);
}
