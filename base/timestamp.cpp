#include "base/timestamp.hpp"

#include <date/date.h>

#include <sstream>

namespace fl {

timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string format_rfc3339_utc(timestamp t) {
  return date::format("%FT%T+00:00", t);
}

std::optional<timestamp> parse_rfc3339(std::string_view text) {
  // date::parse wants `%Ez` for "-05:00"; `Z` is rewritten to "+00:00" first.
  std::string s(text);
  if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) s.replace(s.size() - 1, 1, "+00:00");
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return std::nullopt;
  s[10] = 'T';
  std::istringstream in(s);
  date::sys_time<std::chrono::microseconds> tp;
  std::chrono::minutes offset{0};
  in >> date::parse("%FT%T%Ez", tp, offset);
  if (in.fail()) return std::nullopt;
  if (in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return timestamp{tp.time_since_epoch()};  // date::parse already applied the offset
}

}  // namespace fl
