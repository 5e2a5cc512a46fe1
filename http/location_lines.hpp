#pragma once

// The location stream's body (`POST /locations`): NDJSON, one fix a line.
// Each line stands alone: a bad one is reported by its number and the good
// ones are still taken.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "base/timestamp.hpp"

namespace fl::http {

/// One technician's position as the device reported it.
struct location_line {
  std::size_t line = 0;  // 1-based, in the body
  std::string technician_id;
  double lat = 0;
  double lon = 0;
  fl::timestamp recorded_at;  // the device's time, not the log's
  std::optional<double> speed_mps;
};

/// Why a line was not taken.
struct location_line_error {
  std::size_t line = 0;
  std::string field;  // the offending field; "" when the line is not a JSON object
  std::string message;
};

struct location_lines {
  std::vector<location_line> accepted;
  std::vector<location_line_error> rejected;
};

/// The longest line taken, in bytes: a fix is ~100.
inline constexpr std::size_t max_location_line_bytes = 4096;

/// Parses every line of `body`. Blank lines (a trailing newline, CRLF
/// endings) are skipped, not counted as errors. `recorded_at` is required on
/// the stream: a fix without its own time cannot be ordered.
location_lines parse_location_lines(std::string_view body);

/// The fields of one fix given as a JSON object, each checked: `lat` in
/// [-90, 90], `lon` in [-180, 180], `speed_mps` finite and >= 0,
/// `recorded_at` RFC 3339 with an offset. `/technicians/{id}/location` takes
/// the object alone (the technician from the path, `recorded_at` optional).
struct location_fix_fields {
  std::optional<std::string> technician_id;
  double lat = 0;
  double lon = 0;
  std::optional<fl::timestamp> recorded_at;
  std::optional<double> speed_mps;
};
expected<location_fix_fields, location_line_error> parse_location_fix(std::string_view json_text);

}  // namespace fl::http
