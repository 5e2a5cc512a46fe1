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

namespace {

// The date of a local time (microseconds since the local epoch).
local_date date_at(std::chrono::microseconds local) {
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

}  // namespace

local_date local_date_of(fl::timestamp t, const date::time_zone* zone) {
  return date_at(zone ? zone->to_local(t).time_since_epoch() : t.time_since_epoch());
}

const local_date& local_date_finder::of(fl::timestamp t) {
  if (from_ <= t && t < to_) return date_;
  auto micros = [](auto d) { return std::chrono::duration_cast<std::chrono::microseconds>(d); };
  auto offset = std::chrono::microseconds::zero();
  from_ = fl::timestamp::min();
  to_ = fl::timestamp::max();
  if (zone_) {
    auto info = zone_->get_info(t);
    offset = micros(info.offset);
    // The offset holds in [begin, end).
    if (info.begin > date::sys_seconds::min())
      from_ = fl::timestamp(micros(info.begin.time_since_epoch()));
    if (info.end < date::sys_seconds::max())
      to_ = fl::timestamp(micros(info.end.time_since_epoch()));
  }
  auto local = t.time_since_epoch() + offset;
  date_ = date_at(local);
  auto day_start = micros(std::chrono::floor<date::days>(local)) - offset;
  from_ = std::max(from_, fl::timestamp(day_start));
  to_ = std::min(to_, fl::timestamp(day_start + micros(date::days{1})));
  return date_;
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
