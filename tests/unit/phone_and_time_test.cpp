#include "common/phone.h"
#include "common/time_format.h"

#include <catch2/catch.hpp>

using namespace pheu::common;

TEST_CASE("phones are stored as 84 followed by the subscriber number", "[unit][phone]") {
    CHECK(normalise_phone("0912345678") == "84912345678");
    CHECK(normalise_phone("+84912345678") == "84912345678");
    CHECK(normalise_phone("84912345678") == "84912345678");
    CHECK(normalise_phone("091 234.56-78") == "84912345678");
    CHECK(normalise_phone("(+84) 912 345 678") == "84912345678");
    CHECK(normalise_phone("02438123456") == "842438123456");
    CHECK_FALSE(normalise_phone("").has_value());
    CHECK_FALSE(normalise_phone("12345").has_value());
    CHECK_FALSE(normalise_phone("091234567a").has_value());
    CHECK_FALSE(normalise_phone("+1 415 555 0100").has_value());
    CHECK_FALSE(normalise_phone("0012345678").has_value());
    CHECK_FALSE(normalise_phone("0912345").has_value());
}

TEST_CASE("RFC 3339 times become epoch milliseconds", "[unit][time]") {
    CHECK(parse_rfc3339_ms("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_rfc3339_ms("2026-11-23T10:15:00Z") == 1795428900000);
    CHECK(parse_rfc3339_ms("2026-11-23T17:15:00+07:00") == 1795428900000);
    CHECK(parse_rfc3339_ms("2026-11-23T10:15:00.25Z") == 1795428900250);
    CHECK(parse_rfc3339_ms("2026-11-23t03:15:00.123456-07:00") == 1795428900123);
    CHECK(parse_rfc3339_ms("2024-02-29T00:00:00Z").has_value());
    CHECK_FALSE(parse_rfc3339_ms("2026-02-29T00:00:00Z").has_value());
    CHECK_FALSE(parse_rfc3339_ms("2026-11-23 10:15:00Z").has_value());
    CHECK_FALSE(parse_rfc3339_ms("2026-11-23T10:15:00").has_value());
    CHECK_FALSE(parse_rfc3339_ms("2026-13-01T00:00:00Z").has_value());
    CHECK_FALSE(parse_rfc3339_ms("2026-11-23T10:15:00.Z").has_value());
    CHECK_FALSE(parse_rfc3339_ms("yesterday").has_value());
    CHECK(format_rfc3339_utc(1795428900250) == "2026-11-23T10:15:00.250Z");
    CHECK(parse_rfc3339_ms(format_rfc3339_utc(1700000000123)) == 1700000000123);
}
