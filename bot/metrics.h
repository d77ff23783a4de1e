#pragma once
// The counters and histograms behind GET /metrics (Prometheus text format). Labels come
// from small fixed sets (sources, normalised kinds, rejection reasons, route patterns), never
// from user input, so the number of series stays bounded.
#include <cstdint>
#include <memory>
#include <string>

namespace prometheus {
class Registry;
template <typename T> class Family;
class Counter;
class Gauge;
class Histogram;
} // namespace prometheus

namespace pheu::bot {

class Metrics {
public:
    Metrics();
    ~Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    void event_received(const std::string& source, const std::string& kind);
    void event_duplicate(const std::string& source);
    void event_unknown(const std::string& source);
    void request_rejected(const std::string& source, const std::string& reason);
    // A platform's event dated far ahead (or not at all): recorded at its arrival instead.
    void event_time_replaced(const std::string& source);
    // A request whose bearer token (admin or events) was wrong.
    void auth_failed();
    void event_processed(const std::string& outcome);
    void observe_request(const std::string& route, double seconds);
    void set_inbox_backlog(std::int64_t pending);
    // Delivery: what each dispatched row became, by channel; Zalo token refreshes by outcome;
    // whether each configured account can send (1) or is stopped (0); rows waiting to go.
    void delivery_result(const std::string& channel, const std::string& action);
    void token_refresh(const std::string& outcome);
    void set_account_up(const std::string& channel, const std::string& account_id, bool up);
    void set_outbox_queued(std::int64_t queued);

    std::string render() const;

private:
    std::shared_ptr<prometheus::Registry> m_registry;
    prometheus::Family<prometheus::Counter>* m_received;
    prometheus::Family<prometheus::Counter>* m_duplicates;
    prometheus::Family<prometheus::Counter>* m_unknown;
    prometheus::Family<prometheus::Counter>* m_rejected;
    prometheus::Counter* m_auth_failures;
    prometheus::Family<prometheus::Counter>* m_times_replaced;
    prometheus::Family<prometheus::Counter>* m_processed;
    prometheus::Family<prometheus::Histogram>* m_latency;
    prometheus::Gauge* m_backlog;
    prometheus::Family<prometheus::Counter>* m_deliveries;
    prometheus::Family<prometheus::Counter>* m_refreshes;
    prometheus::Family<prometheus::Gauge>* m_account_up;
    prometheus::Gauge* m_outbox_queued;
};

} // namespace pheu::bot
