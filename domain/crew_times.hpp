#pragma once

// Times of day as crews write them: "2am", "2 a.m.", "3:30", "3:30pm",
// "0300", "noon", "midnight".

#include <cstddef>
#include <optional>
#include <vector>

#include "domain/crew_text_tokens.hpp"

namespace fl::domain {

enum class meridiem : unsigned char { none, am, pm };

struct clock_reading {
  int hour = 0;  // 0..23 as written (before am/pm is applied)
  int minute = 0;
  meridiem half = meridiem::none;
  // Written so that it can only be a time: with a colon, am/pm, four digits
  // ("0300"), "noon" or "midnight". "at 4" is a time only by its context.
  bool unmistakable = false;
  // Written on the 24-hour clock ("0300", "03:30", "15:30"): needs no am/pm.
  bool twenty_four_hour = false;
  std::size_t next = 0;  // the first token after it

  /// Minutes after midnight, am/pm applied; a time without am/pm is read on
  /// the 24-hour clock ("3:30" → 03:30, "15:30" → 15:30).
  int minutes() const;
  /// The same reading with `h` as its am/pm (when it has none and can take one).
  clock_reading with_half(meridiem h) const;
};

/// The time written at tokens[i], if any. A number directly followed by a
/// unit or material word ("5 bags") is never a time.
std::optional<clock_reading> read_clock(const std::vector<crew_token>& t, std::size_t i);

}  // namespace fl::domain
