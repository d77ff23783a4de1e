#include "bot/channels/send_result.h"

namespace pheu::bot::channels {

const char* send_outcome_id(SendOutcome outcome) {
    switch (outcome) {
    case SendOutcome::sent:
        return "sent";
    case SendOutcome::not_sent:
        return "not_sent";
    case SendOutcome::outcome_unknown:
        return "outcome_unknown";
    case SendOutcome::rate_limited:
        return "rate_limited";
    case SendOutcome::server_error:
        return "server_error";
    case SendOutcome::auth_expired:
        return "auth_expired";
    case SendOutcome::account_stopped:
        return "account_stopped";
    case SendOutcome::window_closed:
        return "window_closed";
    case SendOutcome::night_blocked:
        return "night_blocked";
    case SendOutcome::not_allowed:
        return "not_allowed";
    case SendOutcome::permanent:
        return "permanent";
    }
    return "unknown";
}

} // namespace pheu::bot::channels
