#include "base/timestamp.hpp"

#include <date/date.h>

#include <cstdio>
#include <regex>
#include <sstream>

namespace fl {

timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string format_rfc3339_utc(timestamp t) {
  // By hand: date::format goes through an ostringstream, and the read API
  // formats three times per listed message.
  auto day = std::chrono::floor<date::days>(t);
  date::year_month_day ymd{day};
  auto us = (t - day).count();  // microseconds into the day, 0..86'399'999'999
  char out[40];
  int n = std::snprintf(
      out, sizeof out, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%06lld+00:00",
      static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
      static_cast<unsigned>(ymd.day()), static_cast<long long>(us / 3'600'000'000),
      static_cast<long long>(us / 60'000'000 % 60), static_cast<long long>(us / 1'000'000 % 60),
      static_cast<long long>(us % 1'000'000));
  return std::string(out, static_cast<std::size_t>(n));
}

std::optional<timestamp> parse_rfc3339(std::string_view text) {
  // Strict shape first (date::parse alone accepts "+05" or "00.Z"); a
  // fraction beyond microseconds is truncated.
  static const std::regex shape(
      R"(^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, shape)) return std::nullopt;
  std::string offset = m[4].str();
  if (offset == "Z" || offset == "z") offset = "+00:00";
  std::string s = m[1].str() + "T" + m[2].str();
  if (m[3].matched) s += "." + m[3].str().substr(0, 6);
  s += offset;
  std::istringstream in(s);
  date::sys_time<std::chrono::microseconds> tp;
  in >> date::parse("%FT%T%Ez", tp);
  if (in.fail()) return std::nullopt;
  return timestamp{tp.time_since_epoch()};  // date::parse already applied the offset
}

}  // namespace fl
