#include "common/time_format.h"

#include <chrono>
#include <cstdio>

namespace pheu::common {

namespace {

// Howard Hinnant's days_from_civil: proleptic Gregorian date to days since 1970-01-01.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

bool read_digits(std::string_view text, std::size_t& pos, std::size_t count, int& out) {
    if (pos + count > text.size()) {
        return false;
    }
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        char c = text[pos + i];
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + (c - '0');
    }
    pos += count;
    out = value;
    return true;
}

bool expect(std::string_view text, std::size_t& pos, char c1, char c2 = '\0') {
    if (pos < text.size() && (text[pos] == c1 || (c2 != '\0' && text[pos] == c2))) {
        ++pos;
        return true;
    }
    return false;
}

bool leap_year(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap_year(year) ? 29 : k_days[month - 1];
}

} // namespace

std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text) {
    std::size_t pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') || !read_digits(text, pos, 2, month) ||
        !expect(text, pos, '-') || !read_digits(text, pos, 2, day) || !expect(text, pos, 'T', 't') ||
        !read_digits(text, pos, 2, hour) || !expect(text, pos, ':') || !read_digits(text, pos, 2, minute) ||
        !expect(text, pos, ':') || !read_digits(text, pos, 2, second)) {
        return std::nullopt;
    }
    // 60 is a leap second; it is folded into the next second.
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
        second > 60) {
        return std::nullopt;
    }
    int millis = 0;
    if (expect(text, pos, '.')) {
        std::size_t fraction_digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (fraction_digits < 3) {
                millis = millis * 10 + (text[pos] - '0');
            }
            ++fraction_digits;
            ++pos;
        }
        if (fraction_digits == 0) {
            return std::nullopt;
        }
        for (std::size_t i = fraction_digits; i < 3; ++i) {
            millis *= 10;
        }
    }
    int offset_minutes = 0;
    if (!expect(text, pos, 'Z', 'z')) {
        int sign = 0;
        if (expect(text, pos, '+')) {
            sign = 1;
        } else if (expect(text, pos, '-')) {
            sign = -1;
        } else {
            return std::nullopt;
        }
        int offset_hours = 0, offset_mins = 0;
        if (!read_digits(text, pos, 2, offset_hours) || !expect(text, pos, ':') ||
            !read_digits(text, pos, 2, offset_mins) || offset_hours > 23 || offset_mins > 59) {
            return std::nullopt;
        }
        offset_minutes = sign * (offset_hours * 60 + offset_mins);
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    return seconds * 1000 + millis;
}

std::string format_rfc3339_utc(std::int64_t epoch_ms) {
    using namespace std::chrono;
    const sys_time<milliseconds> time{milliseconds{epoch_ms}};
    const auto day_point = floor<days>(time);
    const year_month_day date{day_point};
    const hh_mm_ss clock{time - day_point};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
    return buffer;
}

std::int64_t now_epoch_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace pheu::common
