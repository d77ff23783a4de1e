#include "bot/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace pheu::bot {

namespace {
// Seconds; fine-grained below 10 ms, where a healthy webhook answer lives.
const prometheus::Histogram::BucketBoundaries k_latency_buckets = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05,
                                                                   0.1,    0.25,  0.5,   1.0,   2.5,  5.0};
} // namespace

Metrics::Metrics() : m_registry(std::make_shared<prometheus::Registry>()) {
    m_received = &prometheus::BuildCounter()
                      .Name("pheu_events_received_total")
                      .Help("Events accepted and stored, by source and normalised kind")
                      .Register(*m_registry);
    m_duplicates = &prometheus::BuildCounter()
                        .Name("pheu_events_duplicate_total")
                        .Help("Redelivered events answered without being stored again")
                        .Register(*m_registry);
    m_unknown = &prometheus::BuildCounter()
                     .Name("pheu_events_unknown_total")
                     .Help("Events with an event name pheu does not know, stored as kind unknown")
                     .Register(*m_registry);
    m_rejected = &prometheus::BuildCounter()
                      .Name("pheu_requests_rejected_total")
                      .Help("Requests refused, by source and reason")
                      .Register(*m_registry);
    m_times_replaced = &prometheus::BuildCounter()
                            .Name("pheu_event_times_replaced_total")
                            .Help("Platform events dated more than 10 minutes ahead, recorded at their arrival")
                            .Register(*m_registry);
    m_auth_failures = &prometheus::BuildCounter()
                           .Name("pheu_auth_failures_total")
                           .Help("Requests whose admin or events bearer token was wrong")
                           .Register(*m_registry)
                           .Add({});
    m_processed = &prometheus::BuildCounter()
                       .Name("pheu_events_processed_total")
                       .Help("Inbox events the worker finished, by outcome")
                       .Register(*m_registry);
    m_latency = &prometheus::BuildHistogram()
                     .Name("pheu_http_request_duration_seconds")
                     .Help("Time from routing a request to its answer, by route")
                     .Register(*m_registry);
    m_backlog = &prometheus::BuildGauge()
                     .Name("pheu_inbox_backlog")
                     .Help("Inbox events stored but not yet processed")
                     .Register(*m_registry)
                     .Add({});
    m_deliveries = &prometheus::BuildCounter()
                        .Name("pheu_deliveries_total")
                        .Help("Outbox rows the dispatcher handled, by channel and what they became")
                        .Register(*m_registry);
    m_refreshes = &prometheus::BuildCounter()
                       .Name("pheu_zalo_token_refreshes_total")
                       .Help("Zalo access token refreshes, by outcome")
                       .Register(*m_registry);
    m_account_up = &prometheus::BuildGauge()
                        .Name("pheu_account_up")
                        .Help("1 when a configured account can send, 0 when its credentials were refused")
                        .Register(*m_registry);
    m_outbox_queued = &prometheus::BuildGauge()
                           .Name("pheu_outbox_queued")
                           .Help("Outbound messages and tag changes waiting to be sent")
                           .Register(*m_registry)
                           .Add({});
}

Metrics::~Metrics() = default;

void Metrics::event_received(const std::string& source, const std::string& kind) {
    m_received->Add({{"source", source}, {"kind", kind}}).Increment();
}

void Metrics::event_duplicate(const std::string& source) {
    m_duplicates->Add({{"source", source}}).Increment();
}

void Metrics::event_unknown(const std::string& source) {
    m_unknown->Add({{"source", source}}).Increment();
}

void Metrics::request_rejected(const std::string& source, const std::string& reason) {
    m_rejected->Add({{"source", source}, {"reason", reason}}).Increment();
}

void Metrics::event_time_replaced(const std::string& source) {
    m_times_replaced->Add({{"source", source}}).Increment();
}

void Metrics::auth_failed() {
    m_auth_failures->Increment();
}

void Metrics::event_processed(const std::string& outcome) {
    m_processed->Add({{"outcome", outcome}}).Increment();
}

void Metrics::observe_request(const std::string& route, double seconds) {
    m_latency->Add({{"route", route}}, k_latency_buckets).Observe(seconds);
}

void Metrics::set_inbox_backlog(std::int64_t pending) {
    m_backlog->Set(static_cast<double>(pending));
}

void Metrics::delivery_result(const std::string& channel, const std::string& action) {
    m_deliveries->Add({{"channel", channel}, {"result", action}}).Increment();
}

void Metrics::token_refresh(const std::string& outcome) {
    m_refreshes->Add({{"outcome", outcome}}).Increment();
}

void Metrics::set_account_up(const std::string& channel, const std::string& account_id, bool up) {
    m_account_up->Add({{"channel", channel}, {"account", account_id}}).Set(up ? 1.0 : 0.0);
}

void Metrics::set_outbox_queued(std::int64_t queued) {
    m_outbox_queued->Set(static_cast<double>(queued));
}

std::string Metrics::render() const {
    return prometheus::TextSerializer().Serialize(m_registry->Collect());
}

} // namespace pheu::bot
