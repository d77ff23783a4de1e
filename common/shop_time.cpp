#include "common/shop_time.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>

namespace pheu::common {

namespace {

using Milliseconds = std::chrono::milliseconds;
using SysMs = date::sys_time<Milliseconds>;

} // namespace

ShopTime::ShopTime(const std::string& zone_name) : m_zone(date::locate_zone(zone_name)) {}

LocalDate ShopTime::local_date(std::int64_t utc_ms) const {
    const auto local = m_zone->to_local(SysMs(Milliseconds(utc_ms)));
    const date::year_month_day ymd(date::floor<date::days>(local));
    return LocalDate{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day())};
}

int ShopTime::local_minute_of_day(std::int64_t utc_ms) const {
    const auto local = m_zone->to_local(SysMs(Milliseconds(utc_ms)));
    const auto since_midnight = local - date::floor<date::days>(local);
    return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count());
}

std::int64_t ShopTime::utc_of(LocalDate local_date, int minute_of_day) const {
    const date::year_month_day ymd{date::year(local_date.year), date::month(local_date.month),
                                   date::day(local_date.day)};
    const auto local = date::local_days(ymd) + std::chrono::minutes(minute_of_day);
    const auto utc = m_zone->to_sys(local, date::choose::earliest);
    return std::chrono::duration_cast<Milliseconds>(utc.time_since_epoch()).count();
}

std::int64_t ShopTime::next_local_time(std::int64_t utc_ms, int minute_of_day) const {
    const LocalDate today = local_date(utc_ms);
    std::int64_t candidate = utc_of(today, minute_of_day);
    if (candidate >= utc_ms) {
        return candidate;
    }
    // Tomorrow: a day later in local terms (a DST change makes it 23 or 25 hours).
    const auto next_day = date::year_month_day(
        date::local_days(date::year_month_day{date::year(today.year), date::month(today.month), date::day(today.day)}) +
        date::days(1));
    return utc_of(LocalDate{static_cast<int>(next_day.year()), static_cast<unsigned>(next_day.month()),
                            static_cast<unsigned>(next_day.day())},
                  minute_of_day);
}

std::string ShopTime::format_date(std::int64_t utc_ms) const {
    const LocalDate date = local_date(utc_ms);
    char text[16];
    std::snprintf(text, sizeof text, "%02u/%02u/%04d", date.day, date.month, date.year);
    return text;
}

} // namespace pheu::common
