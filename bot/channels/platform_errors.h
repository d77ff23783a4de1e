#pragma once
// The two platforms' error answers mapped to SendOutcome: one tested table each.
// Zalo answers errors with HTTP 200 and {"error": <negative code>, "message": …}
// (docs/platforms.md); Meta answers HTTP 4xx with {"error": {"code", …}}
// (docs/platforms.md).
#include "bot/channels/http_transport.h"
#include "bot/channels/send_result.h"

namespace pheu::bot::channels {

// The outcome of a Zalo error code other than 0.
SendOutcome zalo_error_outcome(long long code);

// Reads a Zalo OpenAPI or ZNS answer: transport failures, HTTP errors and the body's code.
// On success the body's data.message_id (or data.msg_id) becomes platform_message_id and
// data becomes `data`.
SendResult read_zalo_answer(const HttpAnswer& answer);

// The outcome of a Meta Graph error.
SendOutcome messenger_error_outcome(long long code, long long subcode);

// Reads a Send API answer; on success message_id becomes platform_message_id.
SendResult read_messenger_answer(const HttpAnswer& answer);

} // namespace pheu::bot::channels
