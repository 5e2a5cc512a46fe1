#include "domain/quiet_hours.hpp"

#include <fmt/format.h>

#include <charconv>

#include "domain/wall_clock.hpp"

namespace fl::domain {

namespace {

bool is_quiet_at(std::chrono::microseconds tod, const quiet_window& w) {
  using std::chrono::minutes;
  const std::chrono::microseconds start = minutes{w.start.minutes_of_day()};
  const std::chrono::microseconds end = minutes{w.end.minutes_of_day()};
  if (start < end) return tod >= start && tod < end;
  if (start > end) return tod >= start || tod < end;
  return false;
}

}  // namespace

std::optional<clock_time> parse_clock_time(std::string_view hh_mm) {
  if (hh_mm.size() != 5 || hh_mm[2] != ':') return std::nullopt;
  auto two_digits = [&](std::size_t at, int& out) {
    if (hh_mm[at] < '0' || hh_mm[at] > '9' || hh_mm[at + 1] < '0' || hh_mm[at + 1] > '9')
      return false;
    out = (hh_mm[at] - '0') * 10 + (hh_mm[at + 1] - '0');
    return true;
  };
  clock_time t;
  if (!two_digits(0, t.hour) || !two_digits(3, t.minute)) return std::nullopt;
  if (t.hour > 23 || t.minute > 59) return std::nullopt;
  return t;
}

std::string to_string(clock_time t) {
  return fmt::format("{:02d}:{:02d}", t.hour, t.minute);
}

bool quiet_window::contains(clock_time t) const {
  return is_quiet_at(std::chrono::minutes{t.minutes_of_day()}, *this);
}

std::optional<quiet_window> quiet_window_of(const sms_settings& s) {
  if (!s.quiet_hours_start || !s.quiet_hours_end) return std::nullopt;
  auto start = parse_clock_time(*s.quiet_hours_start);
  auto end = parse_clock_time(*s.quiet_hours_end);
  if (!start || !end || *start == *end) return std::nullopt;
  return quiet_window{*start, *end};
}

bool is_quiet(fl::timestamp t, const date::time_zone* zone, const quiet_window& w) {
  return is_quiet_at(time_of_day(wall_clock_at(t, zone)), w);
}

bool is_quiet(fl::timestamp t, const date::time_zone* zone, const sms_settings& s) {
  auto w = quiet_window_of(s);
  return w && is_quiet(t, zone, *w);
}

fl::timestamp quiet_ends_at(fl::timestamp t, const date::time_zone* zone, const quiet_window& w) {
  // Usually one step. Another is needed only when the end falls in a DST gap
  // and the gap's end is itself quiet (a window 03:00 to 02:30 on a
  // spring-forward day): then the window runs on to the next day's end.
  for (int step = 0; step < 4 && is_quiet(t, zone, w); ++step) {
    auto local = wall_clock_at(t, zone);
    auto day = std::chrono::floor<date::days>(local);
    const std::chrono::microseconds end = std::chrono::minutes{w.end.minutes_of_day()};
    // Quiet after the end time on the clock: the window crosses midnight and
    // ends tomorrow.
    if (local - day >= end) day += date::days{1};
    t = instant_at(day + end, zone, t);
  }
  return t;
}

fl::timestamp quiet_ends_at(fl::timestamp t, const date::time_zone* zone, const sms_settings& s) {
  auto w = quiet_window_of(s);
  return w ? quiet_ends_at(t, zone, *w) : t;
}

bool held_by_quiet_hours(sms_trigger t) {
  switch (t) {
    case sms_trigger::scheduled:
    case sms_trigger::reminder:
    case sms_trigger::complete:
      return true;
    case sms_trigger::enroute:
    case sms_trigger::fifteen_min:
    case sms_trigger::arrived:
    case sms_trigger::manual:
    case sms_trigger::reply:
      return false;
  }
  return false;
}

fl::timestamp send_not_before(sms_trigger t, fl::timestamp t_created, const date::time_zone* zone,
                              const sms_settings& s) {
  return held_by_quiet_hours(t) ? quiet_ends_at(t_created, zone, s) : t_created;
}

}  // namespace fl::domain
