// `pheu backup` and `pheu restore` on the real binary, with the server under load.
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

#include <SQLiteCpp/Database.h>
#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace pheu::testing;
using nlohmann::json;

namespace {

// Posts signed chats as fast as one connection allows until told to stop; remembers the
// message ids answered 200, in order.
class Load {
public:
    explicit Load(int port)
        : m_thread([this, port] {
              httplib::Client client("127.0.0.1", port);
              client.set_keep_alive(true);
              for (int i = 0; !m_stop; ++i) {
                  const std::string id = "load-" + std::to_string(i);
                  const std::string body = json{
                      {"app_id", "app-1"},
                      {"sender", {{"id", "user-" + std::to_string(i % 50)}}},
                      {"recipient", {{"id", "oa-1"}}},
                      {"event_name", "user_send_text"},
                      {"message", {{"text", "Còn size M không?"}, {"msg_id", id}}},
                      {"timestamp",
                       "1795428900000"}}.dump();
                  auto result = client.Post(
                      "/webhooks/zalo",
                      {{"X-ZEvent-Signature", zalo_signature_for(body, "app-1", "1795428900000", "oa-secret-1")}}, body,
                      "application/json");
                  if (result && result->status == 200) {
                      std::lock_guard lock(m_mutex);
                      m_acknowledged.push_back(id);
                  }
              }
          }) {}
    ~Load() { stop(); }
    Load(const Load&) = delete;
    Load& operator=(const Load&) = delete;

    void stop() {
        m_stop = true;
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }
    std::vector<std::string> acknowledged() {
        std::lock_guard lock(m_mutex);
        return m_acknowledged;
    }

private:
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::vector<std::string> m_acknowledged;
    std::thread m_thread;
};

} // namespace

TEST_CASE("pheu backup copies the serving database under load with every acknowledged event, and restore puts it back",
          "[integration][process][backup]") {
    TempDir dir;
    const std::string config = write_sandbox_config(dir, /*worker_enabled=*/true);
    const std::string copy = dir.file("backup.db");
    std::int64_t events_in_copy = 0;
    {
        ServerProcess server(dir, config, "serve.log");
        Load load(server.port());
        while (load.acknowledged().size() < 300) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        const std::vector<std::string> before = load.acknowledged();
        const CommandResult backed_up = run_pheu({"backup", copy, "--config", config});
        const std::size_t acknowledged_during = load.acknowledged().size();
        load.stop();
        INFO(backed_up.output);
        REQUIRE(backed_up.exit_status == 0);
        CHECK(backed_up.output.find("backed up to " + copy) != std::string::npos);
        CHECK(acknowledged_during > before.size()); // ingest went on while the copy was made

        SQLite::Database db(copy, SQLite::OPEN_READONLY);
        CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
        CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "delete"); // one file, whole in itself
        events_in_copy = db.execAndGet("SELECT count(*) FROM inbox_events").getInt64();
        CHECK(events_in_copy >= static_cast<std::int64_t>(before.size()));
        SQLite::Statement found(db, "SELECT count(*) FROM inbox_events WHERE dedupe_key = ?");
        int missing = 0;
        for (const std::string& id : before) {
            found.bind(1, "zalo:user_send_text:" + id);
            found.executeStep();
            missing += found.getColumn(0).getInt64() == 1 ? 0 : 1;
            found.reset();
        }
        CHECK(missing == 0);

        const CommandResult again = run_pheu({"backup", copy, "--config", config});
        CHECK(again.exit_status == 1);
        CHECK(again.output.find("exists already") != std::string::npos);
        const CommandResult while_serving = run_pheu({"restore", copy, "--config", config});
        CHECK(while_serving.exit_status == 1);
        CHECK(while_serving.output.find("stop it first") != std::string::npos);
        CHECK(server.signal_and_wait(SIGTERM) == 0);
    }
    // Not a database: refused, the database left as it was.
    const std::string junk = dir.file("junk.db");
    std::ofstream(junk) << "not a database";
    const std::int64_t served = query_int(dir.file("pheu.db"), "SELECT count(*) FROM inbox_events");
    const CommandResult refused = run_pheu({"restore", junk, "--config", config});
    CHECK(refused.exit_status == 1);
    CHECK(refused.output.find("pheu restore: ") != std::string::npos);
    CHECK(query_int(dir.file("pheu.db"), "SELECT count(*) FROM inbox_events") == served);

    const CommandResult restored = run_pheu({"restore", copy, "--config", config});
    INFO(restored.output);
    REQUIRE(restored.exit_status == 0);
    CHECK(std::filesystem::exists(dir.file("pheu.db.before-restore")));
    ServerProcess again(dir, config, "again.log");
    CHECK(query_int(dir.file("pheu.db"), "SELECT count(*) FROM inbox_events") == events_in_copy);
    httplib::Client client("127.0.0.1", again.port());
    const auto health = client.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
}
