#pragma once
// Conversions between epoch milliseconds and RFC 3339 text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pheu::common {

// Parses "2026-11-23T10:15:00Z", "2026-11-23T17:15:00.250+07:00" (RFC 3339, any offset,
// optional fraction) into epoch milliseconds; nullopt when the text is not RFC 3339.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);

// Formats epoch milliseconds as RFC 3339 in UTC with millisecond precision.
std::string format_rfc3339_utc(std::int64_t epoch_ms);

// The current time; passed in as a value wherever a decision depends on it.
std::int64_t now_epoch_ms();

} // namespace pheu::common
