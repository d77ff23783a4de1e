#pragma once
// Runs the real application in-process on an ephemeral port with a temporary SQLite file,
// and helpers that sign requests the way Zalo and Meta do.
#include "app/application.h"
#include "bot/config.h"
#include "tests/support/scratch_database.h"
#include "tests/support/temp_dir.h"

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace pheu::testing {

// Two Zalo accounts, one Messenger page, known tokens, port 0, a temporary SQLite file.
bot::Config test_config(const TempDir& dir);

// The backend the integration tests' servers run on: SQLite, or PostgreSQL when
// PHEU_TEST_SERVERS_ON=postgresql (CTest runs the integration tests once on each, the second
// time named "on PostgreSQL: ...").
store::sql::Backend server_backend();

// Real time plus an offset the test can move forward, to let time pass without waiting.
class ShiftedClock {
public:
    std::int64_t now() const;
    void advance_days(double days);

private:
    std::atomic<std::int64_t> m_offset_ms{0};
};

class TestServer {
public:
    explicit TestServer(const std::function<void(bot::Config&)>& customise = {}, const ShiftedClock* clock = nullptr);
    ~TestServer();

    httplib::Client client() const;
    std::uint16_t port() const { return m_port; }
    const bot::Config& config() const { return m_config; }
    const std::string& database() const { return m_config.database; }
    void stop();
    const app::Application& application() const { return *m_application; }

    // Inbox rows in a state ("pending", "processed", ...), read from the SQLite file.
    std::int64_t inbox_count(const std::string& state) const;
    std::int64_t inbox_total() const;
    // Waits until the worker has no pending events; gives up once 20 s pass with no progress.
    bool wait_until_processed() const;

private:
    TempDir m_dir;
    std::unique_ptr<ScratchDatabase> m_postgres; // when server_backend() is PostgreSQL
    bot::Config m_config;
    std::unique_ptr<app::Application> m_application;
    std::uint16_t m_port = 0;
};

// X-ZEvent-Signature for a body, taking the timestamp as the server does.
std::string zalo_signature_for(const std::string& body, const std::string& app_id, const std::string& timestamp,
                               const std::string& oa_secret_key);
std::string messenger_signature_for(const std::string& body, const std::string& app_secret);

// A scalar SQL query against a database file.
std::int64_t query_int(const std::string& database, const std::string& sql);

} // namespace pheu::testing
