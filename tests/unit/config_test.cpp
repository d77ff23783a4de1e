#include "app/config_file.h"

#include <catch2/catch.hpp>

#include <map>

using namespace pheu::app;
using namespace pheu::bot;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        auto found = values.find(name);
        return found == values.end() ? std::nullopt : std::optional<std::string>(found->second);
    };
}

// Tokens that pass the start-up rule (24 characters at least, distinct).
const std::string k_tokens =
    R"("admin_token":"admin-token-0123456789abcd","events_token":"events-token-0123456789abc")";

// A configuration with valid tokens and `members` (a JSON object's members, or "").
std::string with_tokens(const std::string& members) {
    return "{" + k_tokens + (members.empty() ? "" : "," + members) + "}";
}

const std::string k_full = R"({
  "listen": {"host": "0.0.0.0", "port": 9090},
  "database": "/tmp/x.db",
  "admin_token": "adm-0123456789abcdefghijk", "events_token": "evt-0123456789abcdefghijk",
  "transport": "live", "timezone": "Asia/Ho_Chi_Minh", "max_body_bytes": 2048,
  "zalo": {"api_base": "http://127.0.0.1:1", "accounts": [
     {"oa_id": "579745863508352884", "app_id": 1234567890123456789, "oa_secret_key": "k", "app_secret": "s",
      "access_token": "a", "refresh_token": "r"}]},
  "messenger": {"graph_version": "v20.0", "pages": [
     {"page_id": "p1", "app_secret": "ps", "verify_token": "vt", "page_access_token": "pat"}]},
  "miniapp": {"app_id": "m1", "app_secret": "ms", "allowed_origins": ["https://h5.zdn.vn"]}
})";

} // namespace

TEST_CASE("a complete configuration is read key by key", "[unit][config]") {
    const Config config = parse_config(k_full, env_of({}));
    CHECK(config.host == "0.0.0.0");
    CHECK(config.port == 9090);
    CHECK(config.database == "/tmp/x.db");
    CHECK(config.transport == Transport::live);
    CHECK(config.max_body_bytes == 2048);
    CHECK(config.zalo_api_base == "http://127.0.0.1:1");
    REQUIRE(config.zalo_accounts.size() == 1);
    CHECK(config.zalo_accounts[0].app_id == "1234567890123456789"); // numeric id kept exactly
    CHECK(config.messenger_graph_version == "v20.0");
    REQUIRE(config.miniapp.has_value());
    CHECK(config.miniapp->allowed_origins == std::vector<std::string>{"https://h5.zdn.vn"});
    CHECK(config.miniapp->graph_base == "https://graph.zalo.me");
}

TEST_CASE("environment variables win over the file for secrets", "[unit][config]") {
    const Config config = parse_config(k_full, env_of({{"PHEU_ADMIN_TOKEN", "from-env-0123456789abcdefg"},
                                                       {"PHEU_ZALO_OA_SECRET_KEY__1234567890123456789", "env-oa"},
                                                       {"PHEU_MESSENGER_APP_SECRET__p1", "env-page"},
                                                       {"PHEU_MINIAPP_APP_SECRET", "env-mini"}}));
    CHECK(config.admin_token == "from-env-0123456789abcdefg");
    CHECK(config.events_token == "evt-0123456789abcdefghijk");
    CHECK(config.zalo_accounts[0].oa_secret_key == "env-oa");
    CHECK(config.messenger_pages[0].app_secret == "env-page");
    CHECK(config.miniapp->app_secret == "env-mini");
}

TEST_CASE("a secret may come from the environment alone", "[unit][config]") {
    const std::string text = with_tokens(R"("zalo":{"accounts":[{"oa_id":"o","app_id":"a"}]})");
    CHECK_THROWS_WITH(parse_config(text, env_of({})),
                      Contains("zalo.accounts[0].oa_secret_key") && Contains("PHEU_ZALO_OA_SECRET_KEY__a"));
    CHECK(parse_config(text, env_of({{"PHEU_ZALO_OA_SECRET_KEY__a", "k"}})).zalo_accounts[0].oa_secret_key == "k");
}

TEST_CASE("start-up refuses a wrong configuration and names the key", "[unit][config]") {
    const auto error_of = [](const std::string& text) {
        try {
            parse_config(text, env_of({}));
        } catch (const ConfigError& error) {
            return std::string(error.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(error_of("{not json"), Contains("not valid JSON"));
    CHECK_THAT(error_of("[]"), Contains("JSON object"));
    CHECK_THAT(error_of(R"({"timezone":"Mars/Olympus"})"), Contains("timezone") && Contains("Mars/Olympus"));
    CHECK_THAT(error_of(R"({"transport":"carrier-pigeon"})"), Contains("transport"));
    CHECK_THAT(error_of(R"({"listen":{"port":70000}})"), Contains("listen.port"));
    CHECK_THAT(error_of(R"({"max_body_bytes":"big"})"), Contains("max_body_bytes"));
    CHECK_THAT(error_of(R"({"zalo":{"accounts":[{"oa_id":"o1","app_id":"a","oa_secret_key":"k"},
                                               {"oa_id":"o2","app_id":"a","oa_secret_key":"k"}]}})"),
               Contains("zalo.accounts[1].app_id") && Contains("two accounts"));
    CHECK_THAT(error_of(R"({"transport":"live","zalo":{"accounts":[{"oa_id":"o","app_id":"a","oa_secret_key":"k"}]},
                           "messenger":{"pages":[{"page_id":"p","app_secret":"s","verify_token":"v"}]}})"),
               Contains("zalo.accounts[0].app_secret") && !Contains("zalo.accounts[0].refresh_token") &&
                   !Contains("messenger.pages[0].page_access_token"));
    CHECK_THAT(error_of(R"({"messenger":{"pages":[{"page_id":"p"}]}})"),
               Contains("messenger.pages[0].app_secret") && Contains("messenger.pages[0].verify_token"));
    CHECK_THAT(error_of(R"({"miniapp":{"app_id":"m"}})"), Contains("miniapp.app_secret"));
    // Tokens: 24 characters at least, one per purpose; absent is too short.
    CHECK_THAT(error_of(R"({"admin_token":"x","events_token":"events-token-0123456789abc"})"),
               Contains("admin_token: must hold at least 24 characters"));
    CHECK_THAT(error_of(R"({"admin_token":"admin-token-0123456789abcd"})"),
               Contains("events_token: must hold at least 24 characters"));
    CHECK_THAT(error_of(R"({"admin_token":"same-token-0123456789abcde","events_token":"same-token-0123456789abcde"})"),
               Contains("events_token: must differ from admin_token"));
    CHECK_THAT(error_of(with_tokens("")), Equals("no error"));
    // Every problem at once, not one per attempt.
    CHECK_THAT(error_of(R"({"timezone":"Nowhere","transport":"x"})"), Contains("timezone") && Contains("transport"));
}

TEST_CASE("a PostgreSQL URL with several hosts is taken as it is written", "[unit][config]") {
    for (const char* url :
         {"postgresql://pheu:s3cret-pw@db1,db2/pheu?target_session_attrs=read-write", "postgres://pheu@db1/pheu"}) {
        const auto config = parse_config(with_tokens(std::string(R"("database": ")") + url + "\""), env_of({}));
        CHECK(config.database == url);
    }
}

TEST_CASE("several workers need PostgreSQL, and by default SQLite has one and PostgreSQL two", "[unit][config]") {
    const auto config_of = [](const std::string& database, const std::string& worker) {
        return parse_config(with_tokens(R"("database": ")" + database + R"(", "worker": )" + worker), env_of({}));
    };
    CHECK(config_of("/tmp/x.db", "{}").worker_threads == 0); // picked by the database at start
    CHECK(config_of("postgresql://pheu@db1/pheu", R"({"threads": 4})").worker_threads == 4);
    CHECK(config_of("/tmp/x.db", R"({"threads": 1})").worker_threads == 1);
    CHECK_THROWS_WITH(config_of("/tmp/x.db", R"({"threads": 2})"),
                      Contains("worker.threads: must be 1 on SQLite, which has one writer"));
    CHECK_THROWS_WITH(config_of("postgresql://pheu@db1/pheu", R"({"threads": 0})"),
                      Contains("worker.threads: must be a whole number from 1 to 16"));
}

TEST_CASE("sandbox needs no outbound credentials", "[unit][config]") {
    const std::string text = with_tokens(R"("zalo":{"accounts":[{"oa_id":"o","app_id":"a","oa_secret_key":"k"}]})");
    CHECK_NOTHROW(parse_config(text, env_of({})));
}

TEST_CASE("public_base_url is kept without its trailing slashes, so links and callbacks join it with one",
          "[unit][config]") {
    const Config config = parse_config(with_tokens(R"("public_base_url":"https://shop.example//")"), env_of({}));
    CHECK(config.public_base_url == "https://shop.example");
}

TEST_CASE("the embedded default runs on demo credentials in the sandbox", "[unit][config]") {
    const Config config = embedded_default_config(env_of({{"PHEU_ADMIN_TOKEN", "mine-0123456789abcdefghijk"}}));
    CHECK(config.is_embedded_default);
    CHECK(config.database == "pheu.db");
    CHECK(config.host == "127.0.0.1");
    CHECK(config.port == 8080);
    CHECK(config.transport == Transport::sandbox);
    CHECK(config.admin_token == "mine-0123456789abcdefghijk");
    CHECK_FALSE(config.zalo_accounts.empty());
    CHECK_FALSE(config.messenger_pages.empty());
    CHECK_THAT(describe_demo_credentials(config), Contains(config.zalo_accounts[0].oa_secret_key));
}

TEST_CASE("a number too large for any key is a configuration error, not a crash (found by fuzzing)") {
    CHECK_THROWS_AS(parse_config(R"({"max_body_bytes": 1E48575})", env_of({})), ConfigError);
    CHECK_THROWS_WITH(parse_config(R"({"listen": {"port": 1E400}})", env_of({})), Catch::Contains("not valid JSON"));
}

TEST_CASE("PHEU_MASTER_KEY comes from the environment and must hold 32 characters") {
    const Config keyed = parse_config(k_full, env_of({{"PHEU_MASTER_KEY", std::string(32, 'k')}}));
    CHECK(keyed.master_key == std::string(32, 'k'));
    CHECK_THROWS_WITH(parse_config(k_full, env_of({{"PHEU_MASTER_KEY", "short"}})),
                      Catch::Contains("PHEU_MASTER_KEY: must hold at least 32 characters"));
}
