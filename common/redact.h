#pragma once
// Every secret and phone number that could reach a log passes through here first.
#include <string>
#include <string_view>

namespace pheu::common {

// "84912345678" -> "84912***678": enough for staff to recognise, not enough to call.
std::string redact_phone(std::string_view phone);

// Secrets are never shown, only whether one is set and its length class.
std::string redact_secret(std::string_view secret);

} // namespace pheu::common
