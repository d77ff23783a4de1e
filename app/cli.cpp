#include "app/cli.h"

#include "app/config_file.h"

#include "app/application.h"
#include "bot/config.h"
#include "app/demo_event.h"
#include "common/time_format.h"

#include "bot/log_format.h"
#include "store/backup.h"
#include "store/serving_lock.h"
#include "store/sql/database_target.h"

#include <spdlog/cfg/env.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pheu::app {

// The program wires the rooms below it and speaks their words.
using namespace bot;

namespace {

constexpr const char* k_usage = R"(pheu: turns a shop's Zalo OA, Zalo Mini App and Facebook page into a sales funnel.

Usage:
  pheu serve [--config FILE]       run the webhook and API server
  pheu sign-demo [options]         print a curl command that sends a signed demo Zalo event
  pheu backup FILE [--config F]    write a consistent copy of the database while pheu serves
  pheu restore FILE [--config F]   put a backup in place of the database (pheu stopped)
  pheu <command> --help            describe one command
  pheu --help                      this text

With no --config, pheu runs on an embedded default: database pheu.db in the working
directory, 127.0.0.1:8080, demo credentials printed at start-up, and the sandbox transport
(messages are recorded, never sent). Log level: SPDLOG_LEVEL=debug|info|warn|error.
)";

constexpr const char* k_serve_usage = R"(Usage: pheu serve [--config FILE]

Runs the server until SIGTERM or SIGINT, then stops gracefully: requests in flight are
answered and their events committed.

  --config FILE   JSON configuration (see README.md, "Configuration"). Secrets may come
                  from the environment instead: PHEU_ADMIN_TOKEN, PHEU_EVENTS_TOKEN,
                  PHEU_ZALO_OA_SECRET_KEY__<app_id>, PHEU_ZALO_APP_SECRET__<app_id>,
                  PHEU_MESSENGER_APP_SECRET__<page_id>,
                  PHEU_MESSENGER_PAGE_ACCESS_TOKEN__<page_id>, PHEU_MINIAPP_APP_SECRET.
                  Without it: the embedded default (demo credentials, sandbox).
)";

constexpr const char* k_sign_demo_usage = R"(Usage: pheu sign-demo [--config FILE] [--text TEXT] [--user USER_ID]

Prints a curl command that POSTs a user_send_text event, signed with the first Zalo
account's OA secret key, to the server the configuration describes.

  --config FILE   the same configuration as `pheu serve` (default: the embedded one)
  --text TEXT     the message text (default: "Shop có khuyến mãi không?")
  --user USER_ID  the sender's Zalo user id (default: 1234567890123456789)
)";

constexpr const char* k_backup_usage = R"(Usage: pheu backup FILE [--config CONFIG]

Writes a consistent copy of the database the configuration names (default: pheu.db) to FILE,
which must not exist yet, while the server goes on serving: a snapshot of one instant, taken
in one pass without holding up ingest, checked, synced and renamed into place. Prints what the
copy holds. Exits non-zero with a message on failure.
)";

constexpr const char* k_restore_usage = R"(Usage: pheu restore FILE [--config CONFIG]

Puts the backup FILE in place of the database the configuration names, with the server
stopped. The backup is checked first (a sound pheu database, of this version or older); the
database it replaces is kept beside it as <database>.before-restore. Exits non-zero with a
message on failure.
)";

struct Arguments {
    std::string command;
    std::vector<std::string> operands; // words after the command
    std::map<std::string, std::string> options;
    bool help = false;
    std::string error;
};

Arguments parse_arguments(int argc, char** argv, const std::vector<std::string>& valued_options) {
    Arguments arguments;
    std::vector<std::string> words(argv + 1, argv + argc);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (word == "--help" || word == "-h") {
            arguments.help = true;
        } else if (word.rfind("--", 0) == 0) {
            bool known = false;
            for (const auto& option : valued_options) {
                known |= option == word;
            }
            if (!known) {
                arguments.error = "unknown option " + word;
            } else if (i + 1 >= words.size()) {
                arguments.error = word + " needs a value";
            } else {
                arguments.options[word] = words[++i];
            }
        } else if (arguments.command.empty()) {
            arguments.command = word;
        } else {
            arguments.operands.push_back(word);
        }
    }
    const bool takes_operand = arguments.command == "backup" || arguments.command == "restore";
    if (arguments.error.empty() && !takes_operand && !arguments.operands.empty()) {
        arguments.error = "unexpected argument " + arguments.operands.front();
    }
    return arguments;
}

Config load(const Arguments& arguments) {
    auto path = arguments.options.find("--config");
    return path == arguments.options.end() ? embedded_default_config(process_environment())
                                           : load_config_file(path->second, process_environment());
}

int serve(const Arguments& arguments) {
    // Blocked before any thread starts, so every thread inherits the mask and only the
    // sigwait below sees these signals.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    Config config = load(arguments);
    if (config.is_embedded_default) {
        std::cout << describe_demo_credentials(config) << std::flush;
    }
    Application application(std::move(config));
    application.start();
    int received = 0;
    sigwait(&stop_signals, &received);
    spdlog::info("received {}, stopping", received == SIGTERM ? "SIGTERM" : "SIGINT");
    application.stop();
    return 0;
}

void print_summary(const std::string& what, const std::string& path, const store::DatabaseSummary& summary) {
    std::cout << what << " " << path << ": " << summary.inbox_events << " events, " << summary.customers
              << " customers, " << summary.messages << " messages, schema " << summary.schema_version << ", "
              << summary.bytes << " bytes\n";
}

int backup(const Arguments& arguments) {
    const Config config = load(arguments);
    const store::DatabaseSummary summary = store::backup_database(config.database, arguments.operands.front());
    print_summary("backed up to", arguments.operands.front(), summary);
    return 0;
}

int restore(const Arguments& arguments) {
    const Config config = load(arguments);
    if (store::ServingLock::held_elsewhere(config.database)) {
        std::cerr << "pheu restore: a pheu is serving " << config.database << "; stop it first\n";
        return 1;
    }
    const store::DatabaseSummary summary = store::restore_database(arguments.operands.front(), config.database);
    print_summary("restored " + config.database + " from", arguments.operands.front(), summary);
    return 0;
}

int sign_demo(const Arguments& arguments) {
    Config config = load(arguments);
    if (config.zalo_accounts.empty()) {
        std::cerr << "pheu sign-demo: the configuration has no Zalo account\n";
        return 2;
    }
    auto option = [&](const char* name, const char* fallback) {
        auto found = arguments.options.find(name);
        return found == arguments.options.end() ? std::string(fallback) : found->second;
    };
    const DemoRequest request =
        make_demo_zalo_event(config.zalo_accounts.front(), option("--user", "1234567890123456789"),
                             option("--text", "Shop có khuyến mãi không?"), common::now_epoch_ms());
    std::cout << demo_curl_command(config, request) << "\n";
    return 0;
}

} // namespace

int run_cli(int argc, char** argv) {
    use_escaping_log_format();
    spdlog::cfg::load_env_levels();
    const Arguments arguments = parse_arguments(argc, argv, {"--config", "--text", "--user"});
    if (!arguments.error.empty()) {
        std::cerr << "pheu: " << arguments.error << "\n\n" << k_usage;
        return 2;
    }
    try {
        if (arguments.command.empty()) {
            std::cout << k_usage;
            return arguments.help ? 0 : 2;
        }
        if (arguments.command == "serve") {
            if (arguments.help) {
                std::cout << k_serve_usage;
                return 0;
            }
            return serve(arguments);
        }
        if (arguments.command == "backup" || arguments.command == "restore") {
            const bool backing_up = arguments.command == "backup";
            if (arguments.help) {
                std::cout << (backing_up ? k_backup_usage : k_restore_usage);
                return 0;
            }
            if (arguments.operands.size() != 1) {
                std::cerr << "pheu " << arguments.command << ": name one FILE\n\n"
                          << (backing_up ? k_backup_usage : k_restore_usage);
                return 2;
            }
            if (store::sql::database_target(load(arguments).database).backend == store::sql::Backend::postgresql) {
                // PostgreSQL's own tools copy a live database consistently, its replicas included.
                std::cerr << "pheu " << arguments.command << ": the database is PostgreSQL; use "
                          << (backing_up ? "pg_dump or pg_basebackup" : "pg_restore") << " (see the README)\n";
                return 1;
            }
            try {
                return backing_up ? backup(arguments) : restore(arguments);
            } catch (const store::BackupError& error) {
                std::cerr << "pheu " << arguments.command << ": " << error.what() << "\n";
                return 1;
            }
        }
        if (arguments.command == "sign-demo") {
            if (arguments.help) {
                std::cout << k_sign_demo_usage;
                return 0;
            }
            return sign_demo(arguments);
        }
        std::cerr << "pheu: unknown command " << arguments.command << "\n\n" << k_usage;
        return 2;
    } catch (const ConfigError& error) {
        std::cerr << "pheu: " << error.what() << "\n";
        return 1;
    } catch (const std::exception& error) {
        std::cerr << "pheu: cannot start: " << error.what() << "\n";
        return 1;
    }
}

} // namespace pheu::app
