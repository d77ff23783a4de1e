// A shopper's rights (Decree 13/2023): what pheu holds about them, exported; and erased,
// with the shop's reports unchanged.
#include "tests/support/shop.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace pheu::testing;
using nlohmann::json;

TEST_CASE("a customer's data is exported whole, then erased while the reports stay right",
          "[integration][personal_data]") {
    Shop shop;
    shop.send_events({shop.purchase(
        "pd-1", {{"phone", "0912345678"}, {"name", "Nguyễn Thị Lan"}, {"zalo_user_id", "zalo-lan"}}, 2, 350000)});
    shop.send_zalo(
        zalo_text_body("zalo-lan", "Chị ở 12 Lý Thường Kiệt, còn áo size M không?", "pd-msg-1", shop.clock.now()));
    const json lan = shop.customer_by("phone=0912345678");
    const std::string id = lan["id"];
    const json report_before = shop.admin_get("/api/v1/reports/funnel");

    const json exported = shop.admin_get("/api/v1/customers/" + id + "/export");
    CHECK(exported["customer_id"] == id);
    CHECK(exported["profile"][0]["name"] == "Nguyễn Thị Lan");
    CHECK(exported["identities"].size() >= 2);
    CHECK(exported["orders"][0]["total"] == 350000);
    CHECK(exported["events"].dump().find("Lý Thường Kiệt") != std::string::npos);
    CHECK(!exported["messages"].empty());
    CHECK(exported["stage_history"].is_array());
    shop.admin_get("/api/v1/customers/999999/export", 404);

    const auto [status, erased] = shop.admin_send("DELETE", "/api/v1/customers/" + id, json::object());
    CHECK(status == 200);
    CHECK(erased["erased"] == true);
    // Nothing that names or reaches her is left, anywhere in the file.
    const std::string database = shop.server.database();
    for (const char* trace : {"Lan", "84912345678", "0912345678", "zalo-lan", "Lý Thường Kiệt"}) {
        INFO(trace);
        const std::string like = std::string("'%") + trace + "%'";
        CHECK(query_int(database,
                        "SELECT count(*) FROM customers WHERE name LIKE " + like + " OR phone LIKE " + like) == 0);
        CHECK(query_int(database, "SELECT count(*) FROM customer_identities WHERE external_id LIKE " + like) == 0);
        CHECK(query_int(database, "SELECT count(*) FROM inbox_events WHERE raw LIKE " + like + " OR event LIKE " +
                                      like + " OR dedupe_key LIKE " + like) == 0);
        if (pheu::testing::server_backend() == pheu::store::sql::Backend::sqlite) { // its settled keys
            CHECK(query_int(database, "SELECT count(*) FROM inbox_settled_keys WHERE dedupe_key LIKE " + like) == 0);
        }
        CHECK(query_int(database, "SELECT count(*) FROM outbox WHERE text LIKE " + like + " OR recipient LIKE " + like +
                                      " OR payload LIKE " + like) == 0);
    }
    // The shop's figures do not move.
    const json report_after = shop.admin_get("/api/v1/reports/funnel");
    CHECK(report_after["revenue_by_stage"] == report_before["revenue_by_stage"]);
    CHECK(report_after["stages"] == report_before["stages"]);
    CHECK(shop.admin_get("/api/v1/customers?phone=0912345678")["items"].empty());
    CHECK(query_int(database, "SELECT count(*) FROM audit_log WHERE action IN ('customer.export', 'customer.erase') "
                              "AND target = '" +
                                  id + "'") == 2);

    // She writes again: a new customer, knowing nothing of the old one.
    shop.send_zalo(zalo_text_body("zalo-lan", "Chào shop", "pd-msg-2", shop.clock.now()));
    const json again = shop.customer_by("zalo_user_id=zalo-lan");
    CHECK(again["id"] != id);
    CHECK(again["orders_count"] == 0);
}
