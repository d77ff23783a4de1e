#pragma once
// The composition of a running pheu: database, inbox writer, processing worker, handlers and
// the HTTP server, built from a Config. main() runs one; integration tests run one in-process.
#include "bot/config.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pheu::app {

class Application {
public:
    using Clock = std::function<std::int64_t()>;

    explicit Application(bot::Config config, Clock clock = {});
    ~Application();
    Application(const Application&) = delete;
    Application& operator=(const Application&) = delete;

    // Migrates the database, starts the worker and the server; returns the bound port.
    // Throws ConfigError or std::runtime_error when it cannot start.
    std::uint16_t start();
    // Graceful stop: no new requests, running ones answered, their events committed.
    void stop();

    const bot::Config& config() const;
    // The served routes as (method, path pattern): "GET", "/api/v1/templates/([^/]+)", …
    std::vector<std::pair<std::string, std::string>> routes() const;

private:
    struct Parts;
    bot::Config m_config;
    Clock m_clock;
    std::unique_ptr<Parts> m_parts;
};

} // namespace pheu::app
