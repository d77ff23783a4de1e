#include "handlers/http/failed_auth_guard.h"

#include "handlers/http/json_error.h"

namespace pheu::handlers {

FailedAuthGuard::FailedAuthGuard(double burst, double per_minute, const common::InstanceShare* share)
    : m_failures(per_minute, burst, share) {}

std::int64_t FailedAuthGuard::now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::optional<HttpReply> FailedAuthGuard::refusal(const std::string& peer) {
    const common::RateDecision allowance = m_failures.peek(peer, now_ms());
    if (allowance.allowed) {
        return std::nullopt;
    }
    HttpReply reply = json_error(429, "too_many_failed_authentications",
                                 "Too many failed authentications (wrong tokens or passwords); try again in " +
                                     std::to_string(allowance.retry_after_seconds) + " s.");
    reply.headers.emplace_back("Retry-After", std::to_string(allowance.retry_after_seconds));
    return reply;
}

bool FailedAuthGuard::record_failure(const std::string& peer) {
    const std::int64_t now = now_ms();
    m_failures.take(peer, now);
    return !m_failures.peek(peer, now).allowed;
}

} // namespace pheu::handlers
