#pragma once
// Failed authentications (admin and events tokens, console sessions and sign-ins), per
// peer: a few mistakes go by, then the peer's requests that carry credentials are answered
// 429 with Retry-After until its allowance refills, so guessing a token or a password costs
// days per character instead of 9,000 guesses a second. Requests without credentials (the
// platforms' webhooks, the Mini App) are never held back by it. Thread-safe.
#include "common/keyed_rate_limit.h"
#include "handlers/http/http_exchange.h"

#include <chrono>
#include <optional>
#include <string>

namespace pheu::handlers {

class FailedAuthGuard {
public:
    // `burst` failures at once, then `per_minute`: with a `share`, in total over the
    // instances on one database (common/instance_share.h).
    explicit FailedAuthGuard(double burst = 10, double per_minute = 10, const common::InstanceShare* share = nullptr);

    // The 429 for a peer that has used its failures, else nothing.
    std::optional<HttpReply> refusal(const std::string& peer);
    // Records one failure; true when it used the peer's last (its lockout begins).
    bool record_failure(const std::string& peer);

private:
    static std::int64_t now_ms();
    common::KeyedRateLimit m_failures;
};

} // namespace pheu::handlers
