#include "bot/channels/platform_errors.h"

#include <cstdlib>

namespace pheu::bot::channels {

using nlohmann::json;

namespace {

// Codes are numbers in the samples; a string holding a number is read too.
long long code_of(const json& value) {
    if (value.is_number_integer()) {
        return value.get<long long>();
    }
    if (value.is_string()) {
        return std::strtoll(value.get<std::string>().c_str(), nullptr, 10);
    }
    return 0;
}

std::string text_of(const json& object, const char* key) {
    auto found = object.find(key);
    if (found == object.end()) {
        return {};
    }
    if (found->is_string()) {
        return found->get<std::string>();
    }
    return found->is_null() ? std::string() : found->dump();
}

std::optional<std::int64_t> retry_after_of(const HttpAnswer& answer) {
    auto found = answer.headers.find("retry-after");
    if (found == answer.headers.end()) {
        return std::nullopt;
    }
    const long long seconds = std::strtoll(found->second.c_str(), nullptr, 10);
    return seconds > 0 ? std::optional<std::int64_t>(seconds * 1000) : std::nullopt;
}

// Transport failures and HTTP statuses both platforms share; nullopt when the answer is an
// HTTP answer the platform's own reader must look at.
std::optional<SendResult> read_transport(const HttpAnswer& answer) {
    if (answer.failure == TransportFailure::not_sent) {
        return SendResult{.outcome = SendOutcome::not_sent, .platform_code = "network", .detail = answer.error};
    }
    if (answer.failure == TransportFailure::no_answer) {
        return SendResult{
            .outcome = SendOutcome::outcome_unknown, .platform_code = "no_answer", .detail = answer.error};
    }
    const std::string code = "http_" + std::to_string(answer.status);
    if (answer.status == 429) {
        return SendResult{.outcome = SendOutcome::rate_limited,
                          .platform_code = code,
                          .detail = "too many requests",
                          .retry_after_ms = retry_after_of(answer)};
    }
    if (answer.status >= 500) {
        return SendResult{.outcome = SendOutcome::server_error,
                          .platform_code = code,
                          .detail = answer.body.substr(0, 200),
                          .retry_after_ms = retry_after_of(answer)};
    }
    return std::nullopt;
}

} // namespace

SendOutcome zalo_error_outcome(long long code) {
    switch (code) {
    case -32: // the app or OA reached its rate limit
        return SendOutcome::rate_limited;
    case -100: // an attachment expired; the doc's source retries it
    case -1:   // "system error" on Zalo's side
        return SendOutcome::server_error;
    case -216: // access token invalid
    case -220: // access token expired or removed
        return SendOutcome::auth_expired;
    case -213: // the user does not follow the OA
    case -217: // the user blocked invitations
    case -227: // banned, or inactive for more than 45 days
    case -230: // no interaction in the last 7 days
    case -232: // no interaction, or the last one expired
    case -244: // the user restricted this message type
    case -114: // ZNS: the user cannot receive it
        return SendOutcome::window_closed;
    case -234: // no promotions at night (22:00–06:00)
        return SendOutcome::night_blocked;
    default: // -201 invalid parameter, -223 API not authorised, -240 v2 shut down, -108 bad phone, -115 no quota…
        return SendOutcome::permanent;
    }
}

SendResult read_zalo_answer(const HttpAnswer& answer) {
    if (auto shared = read_transport(answer)) {
        return *shared;
    }
    const json body = json::parse(answer.body, nullptr, false);
    if (!body.is_object()) {
        const std::string code = "http_" + std::to_string(answer.status);
        return SendResult{
            .outcome = SendOutcome::server_error, .platform_code = code, .detail = "an answer that is not JSON"};
    }
    const long long code = body.contains("error") ? code_of(body["error"]) : 0;
    if (code != 0) {
        return SendResult{.outcome = zalo_error_outcome(code),
                          .platform_code = std::to_string(code),
                          .detail = text_of(body, "message")};
    }
    if (answer.status >= 400) {
        return SendResult{.outcome = SendOutcome::permanent,
                          .platform_code = "http_" + std::to_string(answer.status),
                          .detail = answer.body.substr(0, 200)};
    }
    SendResult result;
    if (auto data = body.find("data"); data != body.end() && data->is_object()) {
        result.data = *data;
        result.platform_message_id = text_of(*data, "message_id");
        if (result.platform_message_id.empty()) {
            result.platform_message_id = text_of(*data, "msg_id");
        }
    }
    return result;
}

SendOutcome messenger_error_outcome(long long code, long long subcode) {
    switch (code) {
    case 4:     // application request limit
    case 613:   // calls exceed the rate limit
    case 80006: // Messenger's own rate limit
        return SendOutcome::rate_limited;
    case 1: // unknown error
    case 2: // service temporarily unavailable
        return SendOutcome::server_error;
    case 190: // invalid or expired page access token
        return SendOutcome::account_stopped;
    case 10: // permission denied; 2018278 is "outside the allowed window"
        return subcode == 2018278 ? SendOutcome::window_closed : SendOutcome::permanent;
    case 551: // this person is not available right now
    default:
        return SendOutcome::permanent;
    }
}

SendResult read_messenger_answer(const HttpAnswer& answer) {
    const json body = json::parse(answer.body, nullptr, false);
    const json* error =
        body.is_object() && body.contains("error") && body["error"].is_object() ? &body["error"] : nullptr;
    if (error != nullptr && answer.failure == TransportFailure::none) {
        const long long code = code_of(error->value("code", json()));
        const long long subcode = code_of(error->value("error_subcode", json()));
        const SendOutcome outcome = messenger_error_outcome(code, subcode);
        if (outcome != SendOutcome::permanent || answer.status < 500) {
            std::string platform_code = std::to_string(code);
            if (subcode != 0) {
                platform_code += "/" + std::to_string(subcode);
            }
            return SendResult{.outcome = outcome, .platform_code = platform_code, .detail = text_of(*error, "message")};
        }
    }
    if (auto shared = read_transport(answer)) {
        return *shared;
    }
    if (answer.status >= 400 || !body.is_object()) {
        return SendResult{.outcome = SendOutcome::permanent,
                          .platform_code = "http_" + std::to_string(answer.status),
                          .detail = answer.body.substr(0, 200)};
    }
    SendResult result;
    result.platform_message_id = text_of(body, "message_id");
    return result;
}

} // namespace pheu::bot::channels
