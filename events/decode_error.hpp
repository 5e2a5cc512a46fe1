#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fl::events {

/// Why stored bytes did not decode into an event. Numbers are pinned.
enum class decode_errc : std::uint8_t {
  malformed = 1,            // not JSON, or not the record's shape
  unknown_type = 2,         // written by a newer fieldline, or corrupt
  unsupported_version = 3,  // schema version newer than this build knows
  missing_field = 4,
  wrong_type = 5,  // a field holds the wrong JSON type or range
  unknown_field = 6,
};

std::string_view to_string(decode_errc code);

struct decode_error {
  decode_errc code = decode_errc::malformed;
  std::string message;
};

}  // namespace fl::events
