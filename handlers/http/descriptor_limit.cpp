#include "handlers/http/descriptor_limit.h"

#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pheu::handlers {

namespace {
// Descriptors kept out of the HTTP budget: SQLite's files, the outbox's connections to the
// platforms, the log, pipes and eventfds.
constexpr std::size_t k_reserved = 256;
constexpr std::size_t k_min_connections = 64;
constexpr std::size_t k_max_connections_per_loop = 20000;
} // namespace

std::size_t raise_descriptor_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        spdlog::warn("cannot read the open-file limit: {}", std::strerror(errno));
        return 1024;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        const rlim_t before = limit.rlim_cur;
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
            spdlog::info("open-file limit raised from {} to {}", before, limit.rlim_cur);
        } else {
            spdlog::warn("cannot raise the open-file limit from {}: {}", before, std::strerror(errno));
            limit.rlim_cur = before;
        }
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::size_t{1} << 20 : static_cast<std::size_t>(limit.rlim_cur);
}

ConnectionBudget connection_budget(std::size_t descriptors, int loops, std::size_t per_peer) {
    const std::size_t loop_count = static_cast<std::size_t>(std::max(loops, 1));
    const std::size_t usable = std::max(descriptors > k_reserved ? descriptors - k_reserved : 0, k_min_connections);
    ConnectionBudget budget{};
    budget.max_connections = std::min(usable / loop_count, k_max_connections_per_loop);
    budget.reading.total = std::max<std::size_t>(budget.max_connections / 2, 1);
    // A peer's connections spread over the loops about evenly.
    budget.reading.per_peer = std::max<std::size_t>((per_peer + loop_count - 1) / loop_count, 1);
    return budget;
}

} // namespace pheu::handlers
