#include "app/config_file.h"

#include "store/sql/database_target.h"

#include "bot/token_cipher.h"

#include <date/tz.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace pheu::app {

using namespace bot;

using nlohmann::json;

EnvLookup process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        if (const char* value = std::getenv(name.c_str())) {
            return std::string(value);
        }
        return std::nullopt;
    };
}

namespace {

// Collects every problem so one start-up attempt shows them all.
class Problems {
public:
    void add(const std::string& key, const std::string& message) { m_lines.push_back(key + ": " + message); }
    void throw_if_any() const {
        if (m_lines.empty()) {
            return;
        }
        std::string text = "invalid configuration:";
        for (const auto& line : m_lines) {
            text += "\n  - " + line;
        }
        throw ConfigError(text);
    }

private:
    std::vector<std::string> m_lines;
};

// Reads an optional string member; a present value of another type is a problem.
void read_string(const json& object, const char* key, const std::string& path, std::string& out, Problems& problems) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return;
    }
    if (!found->is_string()) {
        problems.add(path + key, "must be a string");
        return;
    }
    out = found->get<std::string>();
}

// Platform ids are strings, but a config author may write a numeric id as a number.
void read_id(const json& object, const char* key, const std::string& path, std::string& out, Problems& problems) {
    auto found = object.find(key);
    if (found != object.end() && (found->is_number_unsigned() || found->is_number_integer())) {
        out = found->dump();
        return;
    }
    read_string(object, key, path, out, problems);
}

void read_int(const json& object, const char* key, const std::string& path, std::int64_t min, std::int64_t max,
              std::int64_t& out, Problems& problems) {
    auto found = object.find(key);
    if (found == object.end()) {
        return;
    }
    if (!found->is_number_integer() || found->get<std::int64_t>() < min || found->get<std::int64_t>() > max) {
        problems.add(path + key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        return;
    }
    out = found->get<std::int64_t>();
}

const json* read_object(const json& object, const char* key, const std::string& path, Problems& problems) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return nullptr;
    }
    if (!found->is_object()) {
        problems.add(path + key, "must be an object");
        return nullptr;
    }
    return &*found;
}

const json* read_array(const json& object, const char* key, const std::string& path, Problems& problems) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return nullptr;
    }
    if (!found->is_array()) {
        problems.add(path + key, "must be an array");
        return nullptr;
    }
    return &*found;
}

void override_from_env(const EnvLookup& env, const std::string& variable, std::string& value) {
    if (auto from_env = env(variable); from_env && !from_env->empty()) {
        value = *from_env;
    }
}

void require(const std::string& value, const std::string& key, const std::string& env_hint, Problems& problems) {
    if (value.empty()) {
        problems.add(key, "is required" + (env_hint.empty() ? std::string() : " (or set " + env_hint + ")"));
    }
}

// Calls `read_entry(entry, path)` for each object of the array at `parent.key`, with a
// path prefix such as "zalo.accounts[2]."; other elements are reported.
template <typename ReadEntry>
void for_each_entry(const json& parent, const char* key, const std::string& parent_path, Problems& problems,
                    ReadEntry read_entry) {
    const json* entries = read_array(parent, key, parent_path, problems);
    if (entries == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const std::string path = parent_path + key + "[" + std::to_string(i) + "].";
        if (!(*entries)[i].is_object()) {
            problems.add(path.substr(0, path.size() - 1), "must be an object");
            continue;
        }
        read_entry((*entries)[i], path);
    }
}

void read_zalo(const json& root, Config& config, Problems& problems) {
    const json* zalo = read_object(root, "zalo", "", problems);
    if (zalo == nullptr) {
        return;
    }
    read_string(*zalo, "api_base", "zalo.", config.zalo_api_base, problems);
    read_string(*zalo, "oauth_base", "zalo.", config.zalo_oauth_base, problems);
    read_string(*zalo, "zns_base", "zalo.", config.zalo_zns_base, problems);
    for_each_entry(*zalo, "accounts", "zalo.", problems, [&](const json& entry, const std::string& path) {
        ZaloAccount account;
        read_id(entry, "oa_id", path, account.oa_id, problems);
        read_id(entry, "app_id", path, account.app_id, problems);
        read_string(entry, "oa_secret_key", path, account.oa_secret_key, problems);
        read_string(entry, "app_secret", path, account.app_secret, problems);
        read_string(entry, "access_token", path, account.access_token, problems);
        read_string(entry, "refresh_token", path, account.refresh_token, problems);
        config.zalo_accounts.push_back(std::move(account));
    });
}

void read_messenger(const json& root, Config& config, Problems& problems) {
    const json* messenger = read_object(root, "messenger", "", problems);
    if (messenger == nullptr) {
        return;
    }
    read_string(*messenger, "graph_base", "messenger.", config.messenger_graph_base, problems);
    read_string(*messenger, "graph_version", "messenger.", config.messenger_graph_version, problems);
    for_each_entry(*messenger, "pages", "messenger.", problems, [&](const json& entry, const std::string& path) {
        MessengerPage page;
        read_id(entry, "page_id", path, page.page_id, problems);
        read_string(entry, "app_secret", path, page.app_secret, problems);
        read_string(entry, "verify_token", path, page.verify_token, problems);
        read_string(entry, "page_access_token", path, page.page_access_token, problems);
        config.messenger_pages.push_back(std::move(page));
    });
}

void read_miniapp(const json& root, Config& config, Problems& problems) {
    const json* miniapp = read_object(root, "miniapp", "", problems);
    if (miniapp == nullptr) {
        return;
    }
    MiniAppConfig settings;
    read_id(*miniapp, "app_id", "miniapp.", settings.app_id, problems);
    read_string(*miniapp, "app_secret", "miniapp.", settings.app_secret, problems);
    read_string(*miniapp, "graph_base", "miniapp.", settings.graph_base, problems);
    read_int(*miniapp, "rate_per_minute", "miniapp.", 1, 100000, settings.rate_per_minute, problems);
    read_int(*miniapp, "rate_burst", "miniapp.", 1, 100000, settings.rate_burst, problems);
    if (const json* origins = read_array(*miniapp, "allowed_origins", "miniapp.", problems)) {
        for (std::size_t i = 0; i < origins->size(); ++i) {
            if (!(*origins)[i].is_string()) {
                problems.add("miniapp.allowed_origins[" + std::to_string(i) + "]", "must be a string");
                continue;
            }
            settings.allowed_origins.push_back((*origins)[i].get<std::string>());
        }
    }
    config.miniapp = std::move(settings);
}

void read_own_keys(const json& root, Config& config, Problems& problems) {
    if (const json* http = read_object(root, "http", "", problems)) {
        std::int64_t loops = config.http_loops;
        std::int64_t threads = config.http_threads;
        std::int64_t max_threads = config.http_max_threads;
        std::int64_t keep_alive = config.keep_alive_seconds;
        std::int64_t request_timeout = config.request_timeout_seconds;
        std::int64_t reading_per_peer = config.max_reading_per_peer;
        std::int64_t auth_burst = config.failed_auth_burst;
        std::int64_t auth_rate = config.failed_auth_per_minute;
        read_int(*http, "loops", "http.", 0, 64, loops, problems);
        read_int(*http, "threads", "http.", 1, 4096, threads, problems);
        read_int(*http, "max_threads", "http.", 1, 16384, max_threads, problems);
        read_int(*http, "keep_alive_seconds", "http.", 1, 3600, keep_alive, problems);
        read_int(*http, "request_timeout_seconds", "http.", 1, 600, request_timeout, problems);
        read_int(*http, "max_reading_per_peer", "http.", 1, 1000000, reading_per_peer, problems);
        read_int(*http, "failed_auth_burst", "http.", 1, 1000000, auth_burst, problems);
        read_int(*http, "failed_auth_per_minute", "http.", 1, 1000000, auth_rate, problems);
        config.http_loops = static_cast<int>(loops);
        config.http_threads = static_cast<int>(threads);
        config.http_max_threads = static_cast<int>(std::max(max_threads, threads));
        config.keep_alive_seconds = static_cast<int>(keep_alive);
        config.request_timeout_seconds = static_cast<int>(request_timeout);
        config.max_reading_per_peer = static_cast<int>(reading_per_peer);
        config.failed_auth_burst = static_cast<int>(auth_burst);
        config.failed_auth_per_minute = static_cast<int>(auth_rate);
    }
    if (const json* scheduler = read_object(root, "scheduler", "", problems)) {
        read_int(*scheduler, "interval_ms", "scheduler.", 10, 3600000, config.scheduler_interval_ms, problems);
    }
    if (const json* delivery = read_object(root, "delivery", "", problems)) {
        Config::Delivery& settings = config.delivery;
        std::int64_t concurrency = settings.concurrency;
        std::int64_t batch_size = settings.batch_size;
        std::int64_t zalo_rate = static_cast<std::int64_t>(settings.zalo_per_second);
        std::int64_t messenger_rate = static_cast<std::int64_t>(settings.messenger_per_second);
        std::int64_t max_attempts = settings.max_attempts;
        read_int(*delivery, "concurrency", "delivery.", 1, 256, concurrency, problems);
        read_int(*delivery, "batch_size", "delivery.", 1, 10000, batch_size, problems);
        read_int(*delivery, "interval_ms", "delivery.", 10, 3600000, settings.interval_ms, problems);
        read_int(*delivery, "zalo_per_second", "delivery.", 1, 10000, zalo_rate, problems);
        read_int(*delivery, "messenger_per_second", "delivery.", 1, 10000, messenger_rate, problems);
        read_int(*delivery, "max_attempts", "delivery.", 1, 100, max_attempts, problems);
        read_int(*delivery, "retry_base_ms", "delivery.", 1, 3600000, settings.retry_base_ms, problems);
        read_int(*delivery, "retry_max_ms", "delivery.", 1, 86400000, settings.retry_max_ms, problems);
        read_int(*delivery, "in_doubt_grace_seconds", "delivery.", 0, 604800, settings.in_doubt_grace_seconds,
                 problems);
        read_int(*delivery, "connect_timeout_ms", "delivery.", 100, 600000, settings.connect_timeout_ms, problems);
        read_int(*delivery, "request_timeout_ms", "delivery.", 100, 600000, settings.request_timeout_ms, problems);
        settings.concurrency = static_cast<int>(concurrency);
        settings.batch_size = static_cast<int>(batch_size);
        settings.zalo_per_second = static_cast<double>(zalo_rate);
        settings.messenger_per_second = static_cast<double>(messenger_rate);
        settings.max_attempts = static_cast<int>(max_attempts);
    }
    if (const json* worker = read_object(root, "worker", "", problems)) {
        auto enabled = worker->find("enabled");
        if (enabled != worker->end()) {
            if (enabled->is_boolean()) {
                config.worker_enabled = enabled->get<bool>();
            } else {
                problems.add("worker.enabled", "must be true or false");
            }
        }
        std::int64_t threads = config.worker_threads;
        read_int(*worker, "threads", "worker.", 1, 16, threads, problems);
        config.worker_threads = static_cast<int>(threads);
    }
}

void apply_environment(Config& config, const EnvLookup& env) {
    override_from_env(env, "PHEU_ADMIN_TOKEN", config.admin_token);
    override_from_env(env, "PHEU_EVENTS_TOKEN", config.events_token);
    for (auto& account : config.zalo_accounts) {
        override_from_env(env, "PHEU_ZALO_OA_SECRET_KEY__" + account.app_id, account.oa_secret_key);
        override_from_env(env, "PHEU_ZALO_APP_SECRET__" + account.app_id, account.app_secret);
    }
    for (auto& page : config.messenger_pages) {
        override_from_env(env, "PHEU_MESSENGER_APP_SECRET__" + page.page_id, page.app_secret);
        override_from_env(env, "PHEU_MESSENGER_PAGE_ACCESS_TOKEN__" + page.page_id, page.page_access_token);
    }
    if (config.miniapp) {
        override_from_env(env, "PHEU_MINIAPP_APP_SECRET", config.miniapp->app_secret);
    }
    override_from_env(env, "PHEU_MASTER_KEY", config.master_key);
}

bool known_timezone(const std::string& name) {
    try {
        date::locate_zone(name);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

void validate_tokens(const Config& config, Problems& problems) {
    // A token is all that stands between the internet and the admin API: long enough that
    // guessing it (at the failed-authentication limit) is hopeless, and one per purpose, so
    // the events token a till or a Mini App backend holds cannot run the admin API.
    const auto check_length = [&](const char* key, const std::string& token) {
        if (token.size() < k_min_token_length) {
            problems.add(key, "must hold at least " + std::to_string(k_min_token_length) +
                                  " characters (try `openssl rand -base64 24`)");
        }
    };
    check_length("admin_token", config.admin_token);
    check_length("events_token", config.events_token);
    if (!config.admin_token.empty() && config.admin_token == config.events_token) {
        problems.add("events_token", "must differ from admin_token");
    }
}

void validate(const Config& config, Problems& problems) {
    validate_tokens(config, problems);
    if (!config.master_key.empty() && config.master_key.size() < TokenCipher::k_min_master_key_length) {
        problems.add("PHEU_MASTER_KEY", "must hold at least 32 characters (try `openssl rand -base64 32`)");
    }
    if (!known_timezone(config.timezone)) {
        problems.add("timezone",
                     "unknown time zone \"" + config.timezone + "\" (use an IANA name such as Asia/Ho_Chi_Minh)");
    }
    if (const std::string& base = config.public_base_url;
        !base.empty() && ((base.rfind("https://", 0) != 0 && base.rfind("http://", 0) != 0) ||
                          base.find_first_of("?# ") != std::string::npos || base.size() > 200)) {
        problems.add("public_base_url", "must be the address shoppers reach pheu at, like https://shop.example");
    }
    if (config.database.empty()) {
        problems.add("database", "must name a file");
    } else if (config.worker_threads > 1 &&
               store::sql::database_target(config.database).backend == store::sql::Backend::sqlite) {
        problems.add("worker.threads", "must be 1 on SQLite, which has one writer (several need PostgreSQL)");
    }
    const bool live = config.transport == Transport::live;
    std::set<std::string> app_ids;
    std::set<std::string> oa_ids;
    for (std::size_t i = 0; i < config.zalo_accounts.size(); ++i) {
        const ZaloAccount& account = config.zalo_accounts[i];
        const std::string path = "zalo.accounts[" + std::to_string(i) + "].";
        require(account.oa_id, path + "oa_id", "", problems);
        require(account.app_id, path + "app_id", "", problems);
        require(account.oa_secret_key, path + "oa_secret_key", "PHEU_ZALO_OA_SECRET_KEY__" + account.app_id, problems);
        if (live) {
            require(account.app_secret, path + "app_secret", "PHEU_ZALO_APP_SECRET__" + account.app_id, problems);
        }
        if (!account.app_id.empty() && !app_ids.insert(account.app_id).second) {
            problems.add(path + "app_id", "\"" + account.app_id + "\" is used by two accounts");
        }
        if (!account.oa_id.empty() && !oa_ids.insert(account.oa_id).second) {
            problems.add(path + "oa_id", "\"" + account.oa_id + "\" is used by two accounts");
        }
    }
    std::set<std::string> page_ids;
    for (std::size_t i = 0; i < config.messenger_pages.size(); ++i) {
        const MessengerPage& page = config.messenger_pages[i];
        const std::string path = "messenger.pages[" + std::to_string(i) + "].";
        require(page.page_id, path + "page_id", "", problems);
        require(page.app_secret, path + "app_secret", "PHEU_MESSENGER_APP_SECRET__" + page.page_id, problems);
        require(page.verify_token, path + "verify_token", "", problems);
        if (!page.page_id.empty() && !page_ids.insert(page.page_id).second) {
            problems.add(path + "page_id", "\"" + page.page_id + "\" is used by two pages");
        }
    }
    if (config.miniapp) {
        require(config.miniapp->app_id, "miniapp.app_id", "", problems);
        require(config.miniapp->app_secret, "miniapp.app_secret", "PHEU_MINIAPP_APP_SECRET", problems);
    }
}

} // namespace

Config parse_config(const std::string& json_text, const EnvLookup& env) {
    json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) {
        // Parse again with exceptions only to learn where the syntax broke.
        try {
            const json ignored = json::parse(json_text);
        } catch (const json::exception& error) { // parse_error, or out_of_range for a number too large
            throw ConfigError(std::string("invalid configuration: the file is not valid JSON (") + error.what() + ")");
        }
        throw ConfigError("invalid configuration: the file is not valid JSON");
    }
    if (!root.is_object()) {
        throw ConfigError("invalid configuration: the top level must be a JSON object");
    }
    Config config;
    Problems problems;
    if (const json* listen = read_object(root, "listen", "", problems)) {
        read_string(*listen, "host", "listen.", config.host, problems);
        std::int64_t port = config.port;
        read_int(*listen, "port", "listen.", 0, 65535, port, problems);
        config.port = static_cast<std::uint16_t>(port);
    }
    read_string(root, "database", "", config.database, problems);
    read_string(root, "admin_token", "", config.admin_token, problems);
    read_string(root, "events_token", "", config.events_token, problems);
    std::string transport = "sandbox";
    read_string(root, "transport", "", transport, problems);
    if (transport == "live") {
        config.transport = Transport::live;
    } else if (transport != "sandbox") {
        problems.add("transport", "must be \"sandbox\" or \"live\", not \"" + transport + "\"");
    }
    read_string(root, "timezone", "", config.timezone, problems);
    read_string(root, "public_base_url", "", config.public_base_url, problems);
    while (!config.public_base_url.empty() && config.public_base_url.back() == '/') {
        config.public_base_url.pop_back();
    }
    std::int64_t max_body = static_cast<std::int64_t>(config.max_body_bytes);
    read_int(root, "max_body_bytes", "", 1, std::int64_t{1} << 31, max_body, problems);
    config.max_body_bytes = static_cast<std::size_t>(max_body);
    read_zalo(root, config, problems);
    read_messenger(root, config, problems);
    read_miniapp(root, config, problems);
    read_own_keys(root, config, problems);
    apply_environment(config, env);
    validate(config, problems);
    problems.throw_if_any();
    return config;
}

Config load_config_file(const std::string& path, const EnvLookup& env) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw ConfigError("cannot read the configuration file " + path);
    }
    std::ostringstream text;
    text << file.rdbuf();
    return parse_config(text.str(), env);
}

Config embedded_default_config(const EnvLookup& env) {
    Config config;
    config.is_embedded_default = true;
    config.admin_token = "demo-admin-token-change-me";
    config.events_token = "demo-events-token-change-me";
    config.zalo_accounts.push_back(ZaloAccount{"demo_oa", "demo_app", "demo-oa-secret-key", "demo-app-secret", "", ""});
    config.messenger_pages.push_back(MessengerPage{"demo_page", "demo-messenger-app-secret", "demo-verify-token", ""});
    apply_environment(config, env);
    Problems problems;
    validate(config, problems);
    problems.throw_if_any();
    return config;
}

std::string describe_demo_credentials(const Config& config) {
    std::ostringstream text;
    text << "pheu is running on the embedded default (demo credentials, sandbox transport: nothing is sent).\n";
    text << "  admin token:   " << config.admin_token << "\n";
    text << "  events token:  " << config.events_token << "\n";
    for (const auto& account : config.zalo_accounts) {
        text << "  Zalo OA:       oa_id=" << account.oa_id << " app_id=" << account.app_id
             << " oa_secret_key=" << account.oa_secret_key << "\n";
    }
    for (const auto& page : config.messenger_pages) {
        text << "  Messenger:     page_id=" << page.page_id << " app_secret=" << page.app_secret
             << " verify_token=" << page.verify_token << "\n";
    }
    text << "  Try it: build/pheu sign-demo   (prints a signed curl command)\n";
    return text.str();
}

} // namespace pheu::app
