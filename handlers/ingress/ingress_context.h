#pragma once
// What every ingress handler needs: the durable inbox, the metrics, and the clock.
#include <cstdint>
#include <functional>

namespace pheu::bot {
class Metrics;
}
namespace pheu::store {
class InboxWriter;
}

namespace pheu::handlers {

struct IngressContext {
    store::InboxWriter& inbox;
    bot::Metrics& metrics;
    std::function<std::int64_t()> clock;
};

} // namespace pheu::handlers
