#pragma once
// pheu's configuration as the program hands it to the parts it wires: what each part reads.
// Reading it from the JSON file, the environment or the embedded default is the program's
// job (app/config_file.h).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pheu::bot {

enum class Transport { sandbox, live };

// admin_token and events_token hold at least this many characters (and differ).
inline constexpr std::size_t k_min_token_length = 24;

struct ZaloAccount {
    std::string oa_id;
    std::string app_id;
    std::string oa_secret_key; // verifies X-ZEvent-Signature
    std::string app_secret;    // token refresh
    std::string access_token;
    std::string refresh_token;
};

struct MessengerPage {
    std::string page_id;
    std::string app_secret;
    std::string verify_token;
    std::string page_access_token;
};

struct MiniAppConfig {
    std::string app_id;
    std::string app_secret;
    std::string graph_base = "https://graph.zalo.me";
    std::vector<std::string> allowed_origins;
    // pheu's own keys: each shopper's requests to the Mini App endpoints, per minute and at once.
    std::int64_t rate_per_minute = 60;
    std::int64_t rate_burst = 20;
};

struct Config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::string database = "pheu.db";
    std::string admin_token;
    std::string events_token;
    Transport transport = Transport::sandbox;
    std::string timezone = "Asia/Ho_Chi_Minh";
    std::size_t max_body_bytes = 1048576;
    // From the environment only (PHEU_MASTER_KEY): a key kept beside the database it
    // protects would protect nothing. Encrypts the platform tokens pheu stores.
    std::string master_key;

    std::string zalo_api_base = "https://openapi.zalo.me";
    std::string zalo_oauth_base = "https://oauth.zaloapp.com";
    std::string zalo_zns_base = "https://business.openapi.zalo.me";
    std::vector<ZaloAccount> zalo_accounts;

    std::string messenger_graph_base = "https://graph.facebook.com";
    std::string messenger_graph_version = "v21.0";
    std::vector<MessengerPage> messenger_pages;

    std::optional<MiniAppConfig> miniapp;

    // "public_base_url": where shoppers reach this server ("https://shop.example"). Links in
    // sent messages then go through <public_base_url>/r/<token>, which counts the click.
    std::string public_base_url;

    // pheu's own keys (not in the contract).
    // "http": {"loops": N, "threads": N, "max_threads": N, "keep_alive_seconds": N}. Event
    // loops hold the connections (0: half the cores, 1 to 4); handler threads run the
    // blocking routes (admin API, reports, console), `threads` at once, grown up to
    // `max_threads` while requests wait for one.
    int http_loops = 0;
    int http_threads = 16;
    int http_max_threads = 1024;
    int keep_alive_seconds = 5;
    // "http": {"request_timeout_seconds": N, "max_reading_per_peer": N}: a request's head and
    // body must arrive within N s of its first byte; one address may hold N connections
    // waiting for a request (raise it behind a reverse proxy, whose address is every peer's).
    int request_timeout_seconds = 10;
    int max_reading_per_peer = 64;
    // "http": {"failed_auth_burst": N, "failed_auth_per_minute": N}: wrong admin or events
    // tokens one address may send at once, then per minute, before its requests with a token
    // are answered 429.
    int failed_auth_burst = 10;
    int failed_auth_per_minute = 10;
    // "worker": {"enabled": bool}. Off only for tests that need events left unprocessed.
    bool worker_enabled = true;
    // "worker": {"threads": N}: how many workers decide events side by side, each on its own
    // connection and lanes. 0 picks by database: 1 on SQLite, whose one writer is all a second
    // would wait for (more is refused), 2 on PostgreSQL, where one worker waits on round trips
    // (bench/RESULTS.md, 2a: 250 events a second with one, 900 with two on 2 cores).
    int worker_threads = 0;
    // "scheduler": {"interval_ms": N}. How often the stage scheduler looks for customers
    // whose stage changes by time alone; a change is at most this late.
    std::int64_t scheduler_interval_ms = 30000;
    // "delivery": how the outbox is sent (bot/delivery/delivery_dispatcher.h, bot/delivery/delivery_plan.h).
    struct Delivery {
        int concurrency = 32; // 8 held a burst's replies to about 600 a second (bench/e2e.sh)
        int batch_size = 64;
        std::int64_t interval_ms = 1000;
        double zalo_per_second = 20;
        double messenger_per_second = 40;
        int max_attempts = 6;
        std::int64_t retry_base_ms = 2000;
        std::int64_t retry_max_ms = 15LL * 60 * 1000;
        std::int64_t in_doubt_grace_seconds = 15 * 60;
        std::int64_t connect_timeout_ms = 5000;
        std::int64_t request_timeout_ms = 10000;
    } delivery;

    bool is_embedded_default = false;
};

} // namespace pheu::bot
