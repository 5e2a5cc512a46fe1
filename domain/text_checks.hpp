#pragma once

// Checks on free text a client sends (names, addresses): shared by the
// directory and the jobs.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fl::domain {

/// `s` without the whitespace around it.
std::string_view trim_whitespace(std::string_view s);

/// What is wrong with a piece of text, if anything.
enum class text_fault : std::uint8_t {
  none,
  not_utf8,
  control_character,  // below U+0020 or DEL; newlines only where allowed
  too_long,           // over the limit, in code points
};

/// The first fault of `text`, checked as is (trim first if it should be).
text_fault check_text(std::string_view text, std::size_t max_code_points, bool allow_newlines);

}  // namespace fl::domain
