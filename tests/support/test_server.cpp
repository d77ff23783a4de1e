#include "tests/support/test_server.h"

#include "store/sql/connection.h"
#include "tests/support/scratch_database.h"

#include "common/time_format.h"
#include "common/crypto.h"
#include "handlers/ingress/zalo_signature.h"
#include "store/database.h"

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace pheu::testing {

bot::Config test_config(const TempDir& dir) {
    bot::Config config;
    config.host = "127.0.0.1";
    config.port = 0;
    config.database = dir.file("pheu.db");
    config.admin_token = "admin-token-for-tests-only";
    config.events_token = "events-token-for-tests-only";
    config.max_body_bytes = 64 * 1024;
    config.http_threads = 16;
    config.zalo_accounts = {
        bot::ZaloAccount{"oa-1", "app-1", "oa-secret-1", "app-secret-1", "", ""},
        bot::ZaloAccount{"oa-2", "app-2", "oa-secret-2", "app-secret-2", "", ""},
    };
    config.messenger_pages = {bot::MessengerPage{"page-1", "page-secret-1", "verify-1", ""}};
    return config;
}

std::int64_t ShiftedClock::now() const {
    return common::now_epoch_ms() + m_offset_ms.load();
}

void ShiftedClock::advance_days(double days) {
    m_offset_ms += static_cast<std::int64_t>(days * 24 * 3600 * 1000);
}

store::sql::Backend server_backend() {
    const char* backend = std::getenv("PHEU_TEST_SERVERS_ON");
    const bool wanted = backend != nullptr && std::string(backend) == "postgresql";
    // Without a cluster the run says so (and fails under CI): see scratch_database.h.
    return wanted && postgres_available() ? store::sql::Backend::postgresql : store::sql::Backend::sqlite;
}

TestServer::TestServer(const std::function<void(bot::Config&)>& customise, const ShiftedClock* clock)
    : m_config(test_config(m_dir)) {
    if (server_backend() == store::sql::Backend::postgresql) {
        m_postgres = std::make_unique<ScratchDatabase>(store::sql::Backend::postgresql);
        m_config.database = m_postgres->target().location;
    }
    if (customise) {
        customise(m_config);
    }
    app::Application::Clock application_clock;
    if (clock != nullptr) {
        application_clock = [clock] { return clock->now(); };
    }
    m_application = std::make_unique<app::Application>(m_config, application_clock);
    m_port = m_application->start();
}

TestServer::~TestServer() {
    stop();
}

void TestServer::stop() {
    if (m_application) {
        m_application->stop();
    }
}

httplib::Client TestServer::client() const {
    httplib::Client client("127.0.0.1", m_port);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client;
}

std::int64_t query_int(const std::string& database, const std::string& sql) {
    if (store::sql::database_target(database).backend == store::sql::Backend::postgresql) {
        return query_int(*store::sql::open_connection(database), sql);
    }
    SQLite::Database db(database, SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);
    return db.execAndGet(sql).getInt64();
}

std::int64_t TestServer::inbox_count(const std::string& state) const {
    return query_int(database(), "SELECT count(*) FROM inbox_events WHERE state = '" + state + "'");
}

std::int64_t TestServer::inbox_total() const {
    return query_int(database(), "SELECT count(*) FROM inbox_events");
}

bool TestServer::wait_until_processed() const {
    // Gives up only when the backlog stops shrinking, not after a fixed total: thousands of
    // events under the sanitizers on shared cores can take longer than any one bound.
    constexpr auto k_stall = std::chrono::seconds(20);
    auto pending = inbox_count("pending");
    auto deadline = std::chrono::steady_clock::now() + k_stall;
    while (pending > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const auto now_pending = inbox_count("pending");
        if (now_pending < pending) {
            deadline = std::chrono::steady_clock::now() + k_stall;
        }
        pending = now_pending;
    }
    return pending == 0;
}

std::string zalo_signature_for(const std::string& body, const std::string& app_id, const std::string& timestamp,
                               const std::string& oa_secret_key) {
    return "mac=" + common::sha256_hex({app_id, body, timestamp, oa_secret_key});
}

std::string messenger_signature_for(const std::string& body, const std::string& app_secret) {
    return "sha256=" + common::hmac_sha256_hex(app_secret, body);
}

} // namespace pheu::testing
