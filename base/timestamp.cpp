#include "base/timestamp.hpp"

#include <date/date.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <regex>
#include <sstream>

namespace fl {

timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

namespace {

// "00" .. "99"
constexpr auto two_digits = [] {
  std::array<char, 200> t{};
  for (int i = 0; i < 100; ++i) {
    t[2 * i] = static_cast<char>('0' + i / 10);
    t[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return t;
}();

char* pair(char* out, unsigned value) {  // value < 100
  std::memcpy(out, &two_digits[2 * value], 2);
  return out + 2;
}

}  // namespace

char* rfc3339_formatter::write(char* out, timestamp t) {
  auto day = std::chrono::floor<date::days>(t);
  auto day_number = day.time_since_epoch().count();
  if (date_size_ == 0 || day_number != day_) {
    date::year_month_day ymd{day};
    int year = static_cast<int>(ymd.year());
    char* p = date_;
    if (year < 0 || year > 9999) {
      p += std::snprintf(date_, sizeof date_, "%04d", year);
    } else {
      p = pair(p, static_cast<unsigned>(year / 100));
      p = pair(p, static_cast<unsigned>(year % 100));
    }
    *p++ = '-';
    p = pair(p, static_cast<unsigned>(ymd.month()));
    *p++ = '-';
    p = pair(p, static_cast<unsigned>(ymd.day()));
    *p++ = 'T';
    date_size_ = static_cast<std::size_t>(p - date_);
    day_ = day_number;
  }
  std::memcpy(out, date_, date_size_);
  out += date_size_;
  auto us = static_cast<std::uint64_t>((t - day).count());  // 0..86'399'999'999
  auto seconds = static_cast<unsigned>(us / 1'000'000);
  auto fraction = static_cast<unsigned>(us % 1'000'000);
  out = pair(out, seconds / 3600);
  *out++ = ':';
  out = pair(out, seconds / 60 % 60);
  *out++ = ':';
  out = pair(out, seconds % 60);
  *out++ = '.';
  out = pair(out, fraction / 10'000);
  out = pair(out, fraction / 100 % 100);
  out = pair(out, fraction % 100);
  std::memcpy(out, "+00:00", 6);
  return out + 6;
}

char* write_rfc3339_utc(char* out, timestamp t) {
  return rfc3339_formatter{}.write(out, t);
}

std::string format_rfc3339_utc(timestamp t) {
  char out[rfc3339_max];
  return std::string(out, write_rfc3339_utc(out, t));
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
