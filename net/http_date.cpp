#include "net/http_date.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace fl::net {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

struct cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  void skip_spaces() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  bool spaces() {
    std::size_t before = i;
    skip_spaces();
    return i > before;
  }
  bool literal(char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  /// Between `min` and `max` digits.
  std::optional<int> number(std::size_t min, std::size_t max) {
    std::size_t start = i;
    int value = 0;
    while (i < s.size() && i - start < max && is_digit(s[i])) value = value * 10 + (s[i++] - '0');
    if (i - start < min) return std::nullopt;
    return value;
  }
  std::string_view word() {
    std::size_t start = i;
    while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) ++i;
    return s.substr(start, i - start);
  }
};

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

std::optional<timestamp> parse_rfc2822(std::string_view text) {
  static constexpr std::array<std::string_view, 12> months = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  cursor c{text};
  c.skip_spaces();
  std::size_t mark = c.i;
  if (auto weekday = c.word(); weekday.size() == 3) {
    c.skip_spaces();
    if (!c.literal(',')) return std::nullopt;
    c.skip_spaces();
  } else {
    c.i = mark;
  }
  auto day = c.number(1, 2);
  if (!day || !c.spaces()) return std::nullopt;
  auto month_name = c.word();
  auto month = std::find_if(months.begin(), months.end(),
                            [&](std::string_view m) { return iequals(m, month_name); });
  if (month == months.end() || !c.spaces()) return std::nullopt;
  auto year = c.number(4, 4);
  if (!year || !c.spaces()) return std::nullopt;
  auto hour = c.number(2, 2);
  if (!hour || !c.literal(':')) return std::nullopt;
  auto minute = c.number(2, 2);
  if (!minute) return std::nullopt;
  int second = 0;
  if (c.literal(':')) {
    auto s = c.number(2, 2);
    if (!s) return std::nullopt;
    second = *s;
  }
  if (!c.spaces()) return std::nullopt;
  int offset_minutes = 0;
  if (c.i < text.size() && (text[c.i] == '+' || text[c.i] == '-')) {
    int sign = text[c.i++] == '-' ? -1 : 1;
    auto hhmm = c.number(4, 4);
    if (!hhmm || *hhmm % 100 >= 60) return std::nullopt;
    offset_minutes = sign * (*hhmm / 100 * 60 + *hhmm % 100);
  } else {
    auto zone = c.word();
    if (!iequals(zone, "GMT") && !iequals(zone, "UT") && !iequals(zone, "UTC") &&
        !iequals(zone, "Z"))
      return std::nullopt;
  }
  c.skip_spaces();
  if (!c.done()) return std::nullopt;
  if (*hour > 23 || *minute > 59 || second > 60) return std::nullopt;

  using namespace std::chrono;
  year_month_day date{std::chrono::year{*year},
                      std::chrono::month{static_cast<unsigned>(month - months.begin() + 1)},
                      std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  auto t =
      sys_days{date} + hours{*hour} + minutes{*minute} + seconds{second} - minutes{offset_minutes};
  return time_point_cast<microseconds>(t);
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, timestamp now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), is_digit)) {
    if (value.size() > 9) return std::chrono::hours(24 * 365);  // absurd: cap
    std::int64_t seconds = 0;
    for (char c : value) seconds = seconds * 10 + (c - '0');
    return std::chrono::seconds(seconds);
  }
  auto when = parse_rfc2822(value);
  if (!when) return std::nullopt;
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
  return std::max(wait, std::chrono::milliseconds(0));
}

}  // namespace fl::net
