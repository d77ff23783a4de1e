#include "app/application.h"

#include "bot/background_loop.h"
#include "bot/playbook/builtin_seed.h"
#include "bot/channels/channel_directory.h"
#include "bot/channels/channel_health.h"
#include "bot/channels/http_transport.h"
#include "bot/channels/token_vault.h"
#include "bot/token_cipher.h"
#include "bot/delivery/delivery_dispatcher.h"
#include "bot/delivery/webhook_sender.h"
#include "bot/metrics.h"
#include "bot/customers/miniapp_identity.h"
#include "common/keyed_rate_limit.h"
#include "bot/worker/processing_worker.h"
#include "bot/worker/broadcast_sender.h"
#include "bot/worker/stage_scheduler.h"
#include "common/time_format.h"
#include "handlers/admin/admin_access.h"
#include "handlers/admin/catalog_handler.h"
#include "handlers/admin/console_handler.h"
#include "handlers/admin/customers_handler.h"
#include "handlers/ingress/events_api_handler.h"
#include "handlers/admin/import_handler.h"
#include "handlers/admin/health_handler.h"
#include "handlers/http/http_server.h"
#include "handlers/admin/messages_handler.h"
#include "handlers/admin/messenger_connect_handler.h"
#include "handlers/ingress/messenger_webhook_handler.h"
#include "handlers/admin/personal_data_handler.h"
#include "handlers/admin/staff_reply_handler.h"
#include "handlers/ingress/miniapp_handler.h"
#include "handlers/ingress/short_link_handler.h"
#include "handlers/admin/playbook_handler.h"
#include "handlers/admin/broadcasts_handler.h"
#include "handlers/admin/reports_handler.h"
#include "handlers/admin/segments_handler.h"
#include "handlers/admin/session_handler.h"
#include "handlers/admin/settings_handler.h"
#include "handlers/routes.h"
#include "handlers/admin/templates_handler.h"
#include "handlers/admin/users_handler.h"
#include "handlers/admin/webhooks_handler.h"
#include "handlers/admin/zalo_connect_handler.h"
#include "handlers/ingress/zalo_webhook_handler.h"
#include "store/admin_writer.h"
#include "store/audit_store.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/inbox_writer.h"
#include "store/unsettled_keys.h"
#include "store/read_pool.h"
#include "store/serving_lock.h"
#include "store/wal_checkpointer.h"
#include "templates/template_cache.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <vector>

namespace pheu::app {

// The program wires the rooms below it and speaks their words.
using namespace bot;

namespace {
// Admin reads are few and short; four connections serve them without holding up ingest.
constexpr std::size_t k_read_connections = 4;
// How often the log is copied into the database file: at a webhook burst's 9,000 log pages a
// second this is about what SQLite's default of 1,000 pages did, off the writers' threads.
constexpr auto k_checkpoint_interval = std::chrono::milliseconds(100);
} // namespace

// Members in construction order; destroyed in reverse, so the server goes before the
// writer its handlers wait on, and the writer before the worker it wakes.
struct Application::Parts {
    std::unique_ptr<store::ServingLock> serving; // first made, last released
    Metrics metrics;
    store::WriteGate write_gate;
    store::UnsettledKeys unsettled_keys; // the inbox writer's and the worker's (store/unsettled_keys.h)
    templates::TemplateCache templates;
    channels::ChannelHealth accounts;
    std::unique_ptr<channels::HttpTransport> transport;
    std::unique_ptr<TokenCipher> token_cipher;
    std::unique_ptr<channels::DatabaseTokenVault> token_vault;
    std::unique_ptr<channels::ChannelDirectory> channels;
    std::unique_ptr<DeliveryDispatcher> dispatcher;
    // On PostgreSQL each worker has a gate of its own: the database admits several writers,
    // and a worker waiting for another's gate would wait for nothing.
    std::vector<std::unique_ptr<store::WriteGate>> worker_gates;
    std::vector<std::unique_ptr<ProcessingWorker>> workers;
    std::unique_ptr<StageScheduler> scheduler;
    std::unique_ptr<BroadcastSender> broadcast_sender;
    std::unique_ptr<store::InboxWriter> inbox;
    std::unique_ptr<store::WalCheckpointer> checkpointer;
    std::unique_ptr<BackgroundLoop> checkpoint_loop;
    std::unique_ptr<handlers::ZaloWebhookHandler> zalo;
    std::unique_ptr<handlers::MessengerWebhookHandler> messenger;
    std::unique_ptr<handlers::EventsApiHandler> events;
    std::unique_ptr<handlers::ImportHandler> import;
    std::unique_ptr<handlers::HealthHandler> health;
    std::unique_ptr<handlers::PersonalDataHandler> personal_data;
    std::unique_ptr<handlers::StaffReplyHandler> staff_replies;
    std::unique_ptr<store::ReadPool> reads;
    std::unique_ptr<handlers::CustomersHandler> customers;
    std::unique_ptr<store::AdminWriter> admin_writer;
    std::unique_ptr<handlers::TemplatesHandler> template_admin;
    std::unique_ptr<handlers::CatalogHandler> catalog;
    std::unique_ptr<handlers::SettingsHandler> settings;
    std::unique_ptr<handlers::PlaybookHandler> playbook;
    std::unique_ptr<handlers::MessagesHandler> messages;
    std::unique_ptr<handlers::ReportsHandler> reports;
    std::unique_ptr<handlers::SegmentsHandler> segments;
    std::unique_ptr<handlers::BroadcastsHandler> broadcasts;
    std::unique_ptr<handlers::ShortLinkHandler> short_links;
    std::unique_ptr<handlers::AdminAccess> access;
    std::unique_ptr<handlers::SessionHandler> sessions;
    std::unique_ptr<handlers::UsersHandler> users;
    std::unique_ptr<handlers::ZaloConnectHandler> zalo_connect;
    std::unique_ptr<handlers::MessengerConnectHandler> messenger_connect;
    std::unique_ptr<handlers::WebhooksHandler> webhooks;
    std::unique_ptr<WebhookSender> webhook_sender;
    handlers::ConsoleHandler console;
    std::unique_ptr<MiniAppIdentity> miniapp_identity;
    std::unique_ptr<common::KeyedRateLimit> miniapp_limit;
    std::unique_ptr<handlers::MiniAppHandler> miniapp;
    std::unique_ptr<handlers::HttpServer> server;
};

Application::Application(Config config, Clock clock)
    : m_config(std::move(config)), m_clock(clock ? std::move(clock) : Clock(common::now_epoch_ms)) {}

Application::~Application() {
    stop();
}

const Config& Application::config() const {
    return m_config;
}

std::vector<std::pair<std::string, std::string>> Application::routes() const {
    std::vector<std::pair<std::string, std::string>> routes;
    if (!m_parts) {
        return routes;
    }
    for (const auto& route : m_parts->server->routes()) {
        const char* method = route.method == handlers::Method::get    ? "GET"
                             : route.method == handlers::Method::post ? "POST"
                             : route.method == handlers::Method::put  ? "PUT"
                             : route.method == handlers::Method::del  ? "DELETE"
                                                                      : "OPTIONS";
        routes.emplace_back(method, route.pattern);
    }
    return routes;
}

std::uint16_t Application::start() {
    const auto target = store::sql::database_target(m_config.database);
    const bool on_sqlite = target.backend == store::sql::Backend::sqlite;
    store::open_and_migrate(m_config.database);
    // One process serves an SQLite file; any number share a PostgreSQL database.
    auto serving = on_sqlite ? std::make_unique<store::ServingLock>(m_config.database) : nullptr;
    {
        auto db = store::sql::open_connection(m_config.database, store::Sync::full);
        const SeedCounts seeded = seed_builtin_pack(*db, m_clock());
        if (seeded.templates > 0 || seeded.campaigns > 0 || seeded.playbook) {
            spdlog::info("built-in pack loaded: {} template(s), {} voucher campaign(s){}", seeded.templates,
                         seeded.campaigns, seeded.playbook ? ", the default playbook" : "");
        }
        if (seeded.templates_updated > 0 || seeded.playbook_updated) {
            spdlog::info("built-in pack: {} template(s) the shop never edited brought up to date{}",
                         seeded.templates_updated, seeded.playbook_updated ? ", and the playbook" : "");
        }
    }
    auto parts = std::make_unique<Parts>();
    parts->serving = std::move(serving);
    const bool sandbox = m_config.transport == Transport::sandbox;
    const Config::Delivery& delivery = m_config.delivery;
    parts->transport = channels::make_httplib_transport(
        {static_cast<int>(delivery.connect_timeout_ms), static_cast<int>(delivery.request_timeout_ms)});
    if (!m_config.master_key.empty()) {
        parts->token_cipher = std::make_unique<TokenCipher>(m_config.master_key);
    } else {
        spdlog::warn("PHEU_MASTER_KEY is not set: platform tokens are stored in {} unencrypted; set it (at least "
                     "32 characters, e.g. `openssl rand -base64 32`) to encrypt them",
                     store::sql::redacted(target));
    }
    parts->token_vault =
        std::make_unique<channels::DatabaseTokenVault>(m_config.database, parts->write_gate, parts->token_cipher.get());
    parts->channels = std::make_unique<channels::ChannelDirectory>(m_config, *parts->transport, *parts->token_vault,
                                                                   parts->accounts, &parts->metrics, m_clock());
    DeliveryOptions delivery_options;
    delivery_options.sandbox = sandbox;
    delivery_options.timezone = m_config.timezone;
    delivery_options.concurrency = delivery.concurrency;
    delivery_options.batch_size = delivery.batch_size;
    delivery_options.interval_ms = delivery.interval_ms;
    delivery_options.in_doubt_grace_ms = delivery.in_doubt_grace_seconds * 1000;
    delivery_options.zalo_per_second = delivery.zalo_per_second;
    delivery_options.messenger_per_second = delivery.messenger_per_second;
    delivery_options.retry = RetryPolicy{delivery.max_attempts, delivery.retry_base_ms, delivery.retry_max_ms};
    parts->dispatcher =
        std::make_unique<DeliveryDispatcher>(m_config.database, parts->write_gate, parts->metrics, m_clock,
                                             delivery_options, *parts->channels, parts->accounts);
    DeliveryDispatcher* dispatcher = parts->dispatcher.get();
    const PipelineOptions pipeline{&parts->templates,
                                   RunnerOptions{sandbox, m_config.timezone, m_config.public_base_url},
                                   [dispatcher] { dispatcher->notify(); }};
    const int worker_threads = m_config.worker_threads > 0 ? m_config.worker_threads : (on_sqlite ? 1 : 2);
    for (int i = 0; i < worker_threads; ++i) {
        store::WriteGate* gate = &parts->write_gate;
        if (!on_sqlite) {
            gate = parts->worker_gates.emplace_back(std::make_unique<store::WriteGate>()).get();
        }
        parts->workers.push_back(std::make_unique<ProcessingWorker>(m_config.database, *gate, parts->unsettled_keys,
                                                                    parts->metrics, m_clock, pipeline));
    }
    parts->scheduler = std::make_unique<StageScheduler>(m_config.database, parts->write_gate, m_clock,
                                                        m_config.scheduler_interval_ms, pipeline);
    // Broadcasts look more often than the scheduler (a read while none is active): a sending
    // one decides its next chunk as soon as delivery caught up with the last, and 200 waiting
    // messages a tenth of a second keep up with delivery up to 2,000 a second.
    constexpr std::int64_t k_broadcast_poll_ms = 100;
    parts->broadcast_sender =
        std::make_unique<BroadcastSender>(m_config.database, parts->write_gate, m_clock,
                                          std::min(m_config.scheduler_interval_ms, k_broadcast_poll_ms), pipeline);
    // The shop's own endpoints are not platforms: their webhooks go out under the sandbox too.
    parts->webhook_sender = std::make_unique<WebhookSender>(m_config.database, parts->write_gate, *parts->transport,
                                                            m_clock, m_config.delivery.interval_ms);
    parts->inbox = std::make_unique<store::InboxWriter>(m_config.database, parts->write_gate, parts->unsettled_keys,
                                                        [workers = &parts->workers] {
                                                            for (const auto& worker : *workers) {
                                                                worker->notify();
                                                            }
                                                        });
    if (on_sqlite) { // PostgreSQL checkpoints on its own
        parts->checkpointer = std::make_unique<store::WalCheckpointer>(m_config.database, parts->write_gate);
        parts->checkpoint_loop = std::make_unique<BackgroundLoop>(
            "wal-checkpoint", k_checkpoint_interval, [checkpointer = parts->checkpointer.get()] {
                checkpointer->checkpoint_once();
                return false; // nothing more until the next interval
            });
    }

    handlers::IngressContext ingress{*parts->inbox, parts->metrics, m_clock};
    parts->zalo = std::make_unique<handlers::ZaloWebhookHandler>(m_config.zalo_accounts, ingress);
    parts->messenger = std::make_unique<handlers::MessengerWebhookHandler>(m_config.messenger_pages, ingress);
    parts->events = std::make_unique<handlers::EventsApiHandler>(m_config.events_token, ingress);
    parts->import = std::make_unique<handlers::ImportHandler>(m_config.admin_token, ingress, m_config.timezone);
    parts->health =
        std::make_unique<handlers::HealthHandler>(m_config.database, parts->metrics, parts->accounts, *parts->inbox);
    parts->reads = std::make_unique<store::ReadPool>(m_config.database, k_read_connections);
    parts->customers = std::make_unique<handlers::CustomersHandler>(*parts->reads, m_clock);
    parts->admin_writer = std::make_unique<store::AdminWriter>(m_config.database, parts->write_gate);
    parts->personal_data =
        std::make_unique<handlers::PersonalDataHandler>(*parts->reads, *parts->admin_writer, m_clock);
    parts->staff_replies = std::make_unique<handlers::StaffReplyHandler>(*parts->admin_writer, m_clock);
    parts->template_admin = std::make_unique<handlers::TemplatesHandler>(*parts->reads, *parts->admin_writer,
                                                                         parts->templates, m_config.timezone, m_clock);
    parts->catalog = std::make_unique<handlers::CatalogHandler>(m_config.admin_token, m_config.events_token,
                                                                *parts->reads, *parts->admin_writer, m_clock);
    parts->settings =
        std::make_unique<handlers::SettingsHandler>(m_config.timezone, *parts->reads, *parts->admin_writer, m_clock);
    parts->playbook = std::make_unique<handlers::PlaybookHandler>(*parts->reads, *parts->admin_writer, m_clock);
    parts->messages = std::make_unique<handlers::MessagesHandler>(*parts->reads, *parts->admin_writer, m_clock,
                                                                  [dispatcher] { dispatcher->notify(); });
    parts->reports = std::make_unique<handlers::ReportsHandler>(*parts->reads, m_config.timezone, m_clock);
    parts->segments = std::make_unique<handlers::SegmentsHandler>(*parts->reads, *parts->admin_writer, m_clock);
    parts->short_links = std::make_unique<handlers::ShortLinkHandler>(*parts->reads, *parts->admin_writer, m_clock);
    parts->access = std::make_unique<handlers::AdminAccess>(m_config.admin_token, *parts->reads, m_clock);
    parts->sessions = std::make_unique<handlers::SessionHandler>(*parts->access, *parts->reads, *parts->admin_writer,
                                                                 m_clock, &dispatcher->instance_share());
    parts->users = std::make_unique<handlers::UsersHandler>(*parts->reads, *parts->admin_writer, m_clock);
    handlers::ZaloConnectSettings zalo_connect{m_config.zalo_oauth_base, m_config.public_base_url, {}};
    for (const auto& account : m_config.zalo_accounts) {
        zalo_connect.apps.emplace_back(account.oa_id, account.app_id);
    }
    parts->zalo_connect =
        std::make_unique<handlers::ZaloConnectHandler>(std::move(zalo_connect), *parts->channels, *parts->admin_writer,
                                                       m_clock, [dispatcher] { dispatcher->notify(); });
    parts->messenger_connect = std::make_unique<handlers::MessengerConnectHandler>(
        *parts->channels, *parts->admin_writer, m_clock, [dispatcher] { dispatcher->notify(); });
    parts->webhooks = std::make_unique<handlers::WebhooksHandler>(*parts->reads, *parts->admin_writer, m_clock);
    parts->broadcasts = std::make_unique<handlers::BroadcastsHandler>(
        *parts->reads, *parts->admin_writer, m_clock, [sender = parts->broadcast_sender.get()] { sender->notify(); },
        [sender = parts->broadcast_sender.get()](std::int64_t broadcast_id, std::int64_t customer_id) {
            // The sender decides it on its own connection at its next pass (at most 100 ms).
            auto written = sender->test(broadcast_id, customer_id);
            if (written.wait_for(std::chrono::seconds(15)) != std::future_status::ready) {
                throw std::runtime_error("the broadcast sender did not answer (is the worker enabled?)");
            }
            return written.get();
        });

    handlers::MiniAppEndpoints miniapp;
    if (m_config.miniapp) {
        parts->miniapp_identity = std::make_unique<MiniAppIdentity>(
            MiniAppIdentitySettings{m_config.miniapp->graph_base, m_config.miniapp->app_secret}, *parts->transport);
        parts->miniapp_limit = std::make_unique<common::KeyedRateLimit>(
            static_cast<double>(m_config.miniapp->rate_per_minute), static_cast<double>(m_config.miniapp->rate_burst),
            &dispatcher->instance_share());
        miniapp = {parts->miniapp_identity.get(), parts->miniapp_limit.get(), m_config.miniapp->allowed_origins};
    }
    parts->miniapp = std::make_unique<handlers::MiniAppHandler>(miniapp, ingress, *parts->reads);

    handlers::ServerOptions options;
    options.host = m_config.host;
    options.port = m_config.port;
    options.threads = m_config.http_threads;
    options.max_threads = m_config.http_max_threads;
    options.keep_alive_seconds = m_config.keep_alive_seconds;
    options.max_body_bytes = m_config.max_body_bytes;
    options.loops = m_config.http_loops;
    options.request_timeout_seconds = m_config.request_timeout_seconds;
    options.max_reading_per_peer = m_config.max_reading_per_peer;
    options.failed_auth_burst = m_config.failed_auth_burst;
    options.instance_share = &parts->dispatcher->instance_share();
    options.failed_auth_per_minute = m_config.failed_auth_per_minute;
    parts->server = std::make_unique<handlers::HttpServer>(options, parts->metrics);
    handlers::register_routes(*parts->server, {*parts->zalo,
                                               *parts->messenger,
                                               *parts->events,
                                               *parts->health,
                                               *parts->customers,
                                               *parts->template_admin,
                                               *parts->catalog,
                                               *parts->settings,
                                               *parts->playbook,
                                               *parts->messages,
                                               *parts->reports,
                                               *parts->segments,
                                               *parts->broadcasts,
                                               parts->console,
                                               *parts->miniapp,
                                               *parts->import,
                                               *parts->personal_data,
                                               *parts->staff_replies,
                                               *parts->short_links,
                                               *parts->sessions,
                                               *parts->users,
                                               *parts->zalo_connect,
                                               *parts->messenger_connect,
                                               *parts->webhooks,
                                               *parts->access});

    parts->server->on_auth_lockout([writer = parts->admin_writer.get(), clock = m_clock](const std::string& peer) {
        writer->write([&](store::sql::Connection& db) {
            store::AuditStore(db).record(store::AuditEntry{0, clock(), "peer:" + peer, "auth.rate_limited", peer,
                                                           R"({"reason":"too many wrong tokens or passwords"})"});
        });
    });
    const std::uint16_t port = parts->server->bind();
    if (m_config.worker_enabled) {
        for (const auto& worker : parts->workers) {
            worker->start();
        }
        parts->scheduler->start();
        parts->broadcast_sender->start();
        parts->dispatcher->start();
        parts->webhook_sender->start();
    } else {
        spdlog::warn("the processing worker is disabled (worker.enabled=false): events are stored, not processed");
    }
    if (parts->checkpoint_loop) {
        parts->checkpoint_loop->start();
    }
    parts->server->start();
    m_parts = std::move(parts);
    spdlog::info("pheu listening on http://{}:{} (database {}, transport {})", m_config.host, port,
                 store::sql::redacted(target), m_config.transport == Transport::live ? "live" : "sandbox");
    return port;
}

void Application::stop() {
    if (!m_parts) {
        return;
    }
    m_parts->server->stop();
    m_parts->inbox->stop();
    for (const auto& worker : m_parts->workers) {
        worker->stop();
    }
    m_parts->scheduler->stop();
    m_parts->broadcast_sender->stop();
    m_parts->dispatcher->stop();
    m_parts->webhook_sender->stop();
    if (m_parts->checkpoint_loop) {
        m_parts->checkpoint_loop->stop();
    }
    m_parts.reset();
    spdlog::info("pheu stopped");
}

} // namespace pheu::app
