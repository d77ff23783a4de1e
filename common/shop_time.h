#pragma once
// The shop's wall clock: converts between epoch milliseconds and local time in the shop's
// timezone (IANA name, via date-tz), for quiet hours, birthdays and dates in messages.
#include <cstdint>
#include <string>

namespace date {
class time_zone;
}

namespace pheu::common {

struct LocalDate {
    int year = 1970;
    unsigned month = 1; // 1–12
    unsigned day = 1;   // 1–31
};

class ShopTime {
public:
    // Throws std::runtime_error for an unknown zone (the config check names it first).
    explicit ShopTime(const std::string& zone_name);

    LocalDate local_date(std::int64_t utc_ms) const;
    // Minutes since local midnight.
    int local_minute_of_day(std::int64_t utc_ms) const;
    // The instant of local `minute_of_day` on `date` (the earlier one when clocks go back).
    std::int64_t utc_of(LocalDate date, int minute_of_day) const;
    // The first instant at or after `utc_ms` whose local time is `minute_of_day`.
    std::int64_t next_local_time(std::int64_t utc_ms, int minute_of_day) const;
    // "dd/mm/yyyy" of the local date.
    std::string format_date(std::int64_t utc_ms) const;

private:
    const date::time_zone* m_zone;
};

} // namespace pheu::common
