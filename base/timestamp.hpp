#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fl {

/// A point in time, UTC, microsecond precision: what the event log records.
using timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

/// Where "now" comes from; injectable so tests need no sleeps.
using clock_fn = std::function<timestamp()>;

/// The system clock, truncated to microseconds.
timestamp system_now();

/// Microseconds since the Unix epoch.
inline std::int64_t to_micros(timestamp t) {
  return t.time_since_epoch().count();
}
inline timestamp from_micros(std::int64_t us) {
  return timestamp{std::chrono::microseconds{us}};
}

/// RFC 3339 in UTC with microseconds, e.g. `2026-11-23T18:00:00.000000+00:00`.
std::string format_rfc3339_utc(timestamp t);

/// The same text written at `out` (room for `rfc3339_max` chars); returns its end.
inline constexpr std::size_t rfc3339_max = 40;
char* write_rfc3339_utc(char* out, timestamp t);

/// `write_rfc3339_utc` for many times: the calendar date of the last day
/// seen is kept (a page of records mostly shares a few days).
class rfc3339_formatter {
 public:
  char* write(char* out, timestamp t);

 private:
  std::int64_t day_ = 0;
  char date_[24];  // "YYYY-MM-DDT"
  std::size_t date_size_ = 0;
};

/// Parses RFC 3339 (`Z` or a `±hh:mm` offset, optional fraction); nullopt if malformed.
std::optional<timestamp> parse_rfc3339(std::string_view text);

}  // namespace fl
