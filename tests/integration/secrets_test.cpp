// Platform tokens at rest: with a master key they are sealed in channel_tokens, and neither
// the database file nor its WAL holds a token's bytes, before or after a refresh rotates them.
#include "tests/support/fake_platforms.h"
#include "tests/support/shop.h"

#include "store/sql/connection.h"
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace pheu::testing;

namespace {

constexpr const char* k_master_key = "test-master-key-0123456789-abcdefghij";

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// With a master key. A restart on `database` keeps the first pair (zalo-access-0 /
// zalo-refresh-0) in its configuration, as a shop's file would after a rotation.
std::function<void(pheu::bot::Config&)> live_with_key(const FakePlatforms& fake, const std::string& database = {}) {
    return live_on(fake, [database](pheu::bot::Config& config) {
        config.master_key = k_master_key;
        if (!database.empty()) {
            config.database = database;
            config.zalo_accounts[0].access_token = "zalo-access-0";
            config.zalo_accounts[0].refresh_token = "zalo-refresh-0";
        }
    });
}

} // namespace

TEST_CASE("with a master key no platform token is readable in the database or its WAL", "[integration][secrets]") {
    FakePlatforms fake;
    auto shop = std::make_unique<Shop>(live_with_key(fake));
    const std::string database = shop->server.database();
    // The configured token is refused, so the pair rotates: both pairs pass through the vault.
    fake.set_zalo_tokens("zalo-access-revoked", fake.zalo_refresh_token());
    shop->send_zalo(follow_body("zalo-secret-1", shop->clock.now()));
    REQUIRE(eventually([&] {
        return query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'sent'") == 1;
    }));
    CHECK(fake.refresh_count() == 1);
    {
        const auto db = pheu::store::sql::open_connection(database);
        auto token = db->prepare("SELECT access_token, refresh_token FROM channel_tokens WHERE account_id = 'oa-1'");
        REQUIRE(token->step());
        CHECK(token->text(0).rfind("pheu-enc1:", 0) == 0);
        CHECK(token->text(1).rfind("pheu-enc1:", 0) == 0);
    }
    // Nor anywhere in the SQLite file or its log (PostgreSQL's files are its server's).
    if (pheu::testing::server_backend() == pheu::store::sql::Backend::sqlite) {
        const std::string bytes = file_bytes(database) + file_bytes(database + "-wal");
        REQUIRE(bytes.size() > 4096);
        for (const char* secret : {"zalo-access-0", "zalo-refresh-0", "zalo-access-1", "zalo-refresh-1",
                                   FakePlatforms::k_app_secret, FakePlatforms::k_page_token}) {
            INFO(secret);
            CHECK(bytes.find(secret) == std::string::npos);
        }
    }

    // A restart with the same key opens the rotated pair: no second refresh.
    shop->server.stop(); // stopped, not destroyed: it owns the directory of the database
    Shop restarted(live_with_key(fake, database));
    restarted.send_zalo(follow_body("zalo-secret-2", restarted.clock.now()));
    REQUIRE(eventually([&] {
        return query_int(database, "SELECT count(*) FROM outbox WHERE kind = 'message' AND status = 'sent'") == 2;
    }));
    CHECK(fake.refresh_count() == 1);
    CHECK(fake.accepted("/v3.0/oa/message/cs").back().header("access_token") == "zalo-access-1");
}

TEST_CASE("tokens stored in plaintext before a key was set are sealed once a key is set", "[integration][secrets]") {
    FakePlatforms fake;
    auto shop = std::make_unique<Shop>([&](pheu::bot::Config& config) {
        live_with_key(fake)(config);
        config.master_key.clear();
    });
    const std::string database = shop->server.database();
    shop->send_zalo(follow_body("zalo-plain-1", shop->clock.now()));
    REQUIRE(eventually([&] { return query_int(database, "SELECT count(*) FROM outbox WHERE status = 'sent'") >= 1; }));
    CHECK(query_int(database, "SELECT count(*) FROM channel_tokens WHERE access_token = 'zalo-access-0'") == 1);
    shop->server.stop();

    Shop keyed(live_with_key(fake, database));
    keyed.send_zalo(follow_body("zalo-plain-2", keyed.clock.now()));
    REQUIRE(eventually([&] { return query_int(database, "SELECT count(*) FROM outbox WHERE status = 'sent'") >= 2; }));
    CHECK(query_int(database, "SELECT count(*) FROM channel_tokens WHERE access_token LIKE 'pheu-enc1:%' "
                              "AND refresh_token LIKE 'pheu-enc1:%'") == 1);
    CHECK(fake.accepted("/v3.0/oa/message/cs").back().header("access_token") == "zalo-access-0");
}
