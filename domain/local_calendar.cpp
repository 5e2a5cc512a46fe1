#include "domain/local_calendar.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <charconv>

namespace fl::domain {

const date::time_zone* find_time_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

local_date local_date_of(fl::timestamp t, const date::time_zone* zone) {
  auto local = zone ? zone->to_local(t).time_since_epoch()
                    : std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
  auto days = std::chrono::floor<date::days>(local);
  date::year_month_day ymd{date::sys_days{days}};
  int y = static_cast<int>(ymd.year());
  auto m = static_cast<unsigned>(ymd.month());
  auto d = static_cast<unsigned>(ymd.day());
  local_date out;
  out.month = fmt::format("{:04d}-{:02d}", y, m);
  out.day = fmt::format("{}-{:02d}", out.month, d);
  return out;
}

bool is_calendar_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  auto number = [&](std::size_t at, std::size_t len, unsigned& out) {
    auto first = text.data() + at, last = first + len;
    auto [end, ec] = std::from_chars(first, last, out);
    return ec == std::errc{} && end == last;
  };
  unsigned y = 0, m = 0, d = 0;
  if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return false;
  return date::year_month_day{date::year{static_cast<int>(y)}, date::month{m}, date::day{d}}.ok();
}

}  // namespace fl::domain
