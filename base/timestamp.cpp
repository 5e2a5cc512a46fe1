#include "base/timestamp.hpp"

#include <date/date.h>

#include <regex>
#include <sstream>

namespace fl {

timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string format_rfc3339_utc(timestamp t) {
  return date::format("%FT%T+00:00", t);
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
