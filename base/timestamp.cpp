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

namespace {

// The usual date-time, read by hand: every field in its plain range
// (seconds up to 59, offsets up to 23:59, a day that exists in its month).
// Anything else, valid or not, is left to the full reader below, which
// decides as before; for these both give the same instant. The regex and
// the stream of the full reader cost several microseconds a call, paid by
// every line of the location stream.
std::optional<timestamp> parse_plain_rfc3339(std::string_view t) {
  auto digit = [&](std::size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
  auto number = [&](std::size_t i, std::size_t n) -> std::optional<int> {
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (!digit(i + k)) return std::nullopt;
      v = v * 10 + (t[i + k] - '0');
    }
    return v;
  };
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') ||
      t[13] != ':' || t[16] != ':')
    return std::nullopt;
  auto y = number(0, 4), mo = number(5, 2), d = number(8, 2);
  auto h = number(11, 2), mi = number(14, 2), se = number(17, 2);
  if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
  std::size_t i = 19;
  std::int64_t micros = 0;
  if (t[i] == '.') {
    std::size_t n = 0;
    for (++i; digit(i); ++i, ++n)
      if (n < 6) micros = micros * 10 + (t[i] - '0');
    if (n == 0 || n > 9) return std::nullopt;
    for (; n < 6; ++n) micros *= 10;
  }
  std::int64_t offset_min = 0;
  if (i + 1 == t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    // UTC
  } else if (i + 6 == t.size() && (t[i] == '+' || t[i] == '-') && t[i + 3] == ':') {
    auto oh = number(i + 1, 2), om = number(i + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset_min = (*oh * 60 + *om) * (t[i] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  if (*mo < 1 || *mo > 12 || *d < 1 || *h > 23 || *mi > 59 || *se > 59) return std::nullopt;
  date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*mo)},
                           date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  auto local = date::sys_days{ymd} + std::chrono::hours(*h) + std::chrono::minutes(*mi) +
               std::chrono::seconds(*se) - std::chrono::minutes(offset_min);
  return timestamp{std::chrono::duration_cast<std::chrono::microseconds>(local.time_since_epoch()) +
                   std::chrono::microseconds(micros)};
}

}  // namespace

std::optional<timestamp> parse_rfc3339(std::string_view text) {
  if (auto plain = parse_plain_rfc3339(text)) return plain;
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
