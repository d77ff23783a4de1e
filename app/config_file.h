#pragma once
// Reading pheu's configuration (bot/config.h): the JSON file the README describes, plus
// environment overrides for secrets, or the embedded default when no file is given.
#include "bot/config.h"

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace pheu::app {

// Start-up problems: thrown by the loader, caught only in main, printed, exit non-zero.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Looks up an environment variable; tests pass a map instead of the real environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

// Parses and validates a configuration document. Every problem found is reported at once,
// each naming its key.
bot::Config parse_config(const std::string& json_text, const EnvLookup& env);

// Reads the file at `path` and parses it.
bot::Config load_config_file(const std::string& path, const EnvLookup& env);

// What `pheu serve` runs on with no --config: demo credentials, sandbox transport.
bot::Config embedded_default_config(const EnvLookup& env);

// The lines printed at start-up on the embedded default so a newcomer can sign demo events.
std::string describe_demo_credentials(const bot::Config& config);

} // namespace pheu::app
