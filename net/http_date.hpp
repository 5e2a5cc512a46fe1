#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "base/timestamp.hpp"

namespace fl::net {

/// Parses an RFC 2822 date as Twilio writes them (`Mon, 23 Nov 2026 18:00:00
/// +0000`); the weekday is optional, the zone is `±hhmm`, `GMT`, `UT`, `UTC`
/// or `Z`. Also reads HTTP dates (`Sun, 06 Nov 1994 08:49:37 GMT`). nullopt
/// if malformed. Pure.
std::optional<fl::timestamp> parse_rfc2822(std::string_view text);

/// A `Retry-After` header's value: delta-seconds, or an HTTP date (a wait of
/// zero once it has passed; absurd delays are capped at a year). nullopt if
/// malformed. Pure.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           fl::timestamp now);

/// ASCII case-insensitive equality (header names, month and zone names).
bool iequals(std::string_view a, std::string_view b);

}  // namespace fl::net
